from . import profile  # noqa: F401  (registers the /me/ pages on the blueprint)
from .views import bp

__all__ = ["bp"]
