"""All models, imported here so that Alembic and the app see one metadata."""

from .agenda import AgendaSession, SessionKind, Speaker, Star
from .audit import AuditEntry, AuditEntryIsFinal
from .base import UTCDateTime, utcnow
from .events import (
    Event,
    EventOrganiser,
    EventQuestion,
    EventStatus,
    QuestionKind,
    Sector,
    SectorQuota,
)
from .followup import (
    Assessment,
    Commitment,
    CommitmentStatus,
    Milestone,
    ProgressUpdate,
)
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
from .registrations import (
    ACTIVE_STATUSES,
    AgeBand,
    AttendanceMode,
    Awaiting,
    InclusionCount,
    Registration,
    RegistrationStatus,
)
from .themes import Theme, ThemeLeader
from .users import ApiToken, Role, TokenPurpose, User, UserRole, UserToken

__all__ = [
    "AuditEntry",
    "AuditEntryIsFinal",
    "Assessment",
    "Commitment",
    "CommitmentStatus",
    "Milestone",
    "ProgressUpdate",
    "AgendaSession",
    "SessionKind",
    "Speaker",
    "Star",
    "ACTIVE_STATUSES",
    "AgeBand",
    "AttendanceMode",
    "Awaiting",
    "EventQuestion",
    "InclusionCount",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
    "Sector",
    "SectorQuota",
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
