from . import actions  # noqa: F401  (registers the action routes on the blueprint)
from .views import bp

__all__ = ["bp"]
