"""Administration pages under /admin/: members, people, themes, the outbox and the audit log."""

from . import audit, members, people, themes  # noqa: F401  (their routes join the blueprint)
from .views import bp

__all__ = ["bp"]
