from . import manage  # noqa: F401  (registers the editor's routes on the blueprint)
from .views import bp

__all__ = ["bp"]
