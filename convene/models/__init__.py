"""All models, imported here so that Alembic and the app see one metadata."""

from .base import UTCDateTime, utcnow
from .members import FocalPoint, Member, MemberKind
from .outbox import MessageStatus, OutboxMessage
from .themes import Theme, ThemeLeader
from .users import ApiToken, Role, TokenPurpose, User, UserRole, UserToken

__all__ = [
    "ApiToken",
    "FocalPoint",
    "Member",
    "MemberKind",
    "MessageStatus",
    "OutboxMessage",
    "Role",
    "Theme",
    "ThemeLeader",
    "TokenPurpose",
    "User",
    "UserRole",
    "UserToken",
    "UTCDateTime",
    "utcnow",
]
