"""Follow-up pages: an event's commitments, a commitment's timeline, one's own commitments."""

from . import mine, overview  # noqa: F401  (their routes join the blueprint; they import views first)
from .views import bp

__all__ = ["bp"]
