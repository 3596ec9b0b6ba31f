"""Administration pages under /admin/: members, people, themes and the outbox."""

from . import members, people, themes  # noqa: F401  (their routes join the blueprint)
from .views import bp

__all__ = ["bp"]
