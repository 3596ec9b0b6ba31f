from . import manage, participants  # noqa: F401  (registers their routes on the blueprint)
from .views import bp

__all__ = ["bp"]
