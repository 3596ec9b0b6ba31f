"""All models, imported here so that Alembic and the app see one metadata."""

from .base import UTCDateTime, utcnow
from .events import Event, EventOrganiser, EventStatus
from .members import FocalPoint, Member, MemberKind
from .outbox import MessageStatus, OutboxMessage
from .proposals import (
    OPEN_STATUSES,
    EventFormat,
    HostStatus,
    Objective,
    Proposal,
    ProposalHost,
    ProposalStatus,
    ProposalTransition,
    Recommendation,
    Review,
)
from .themes import Theme, ThemeLeader
from .users import ApiToken, Role, TokenPurpose, User, UserRole, UserToken

__all__ = [
    "OPEN_STATUSES",
    "Event",
    "EventFormat",
    "EventOrganiser",
    "EventStatus",
    "HostStatus",
    "Objective",
    "Proposal",
    "ProposalHost",
    "ProposalStatus",
    "ProposalTransition",
    "Recommendation",
    "Review",
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
