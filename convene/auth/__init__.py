from . import data, profile  # noqa: F401  (register the /me/ pages on the blueprint)
from .views import bp

__all__ = ["bp"]
