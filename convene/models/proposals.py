"""Event proposals, their hosts, reviews and the record of every state change."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimezoneName, UTCDateTime, enum_column, labels, utcnow
from .columns import foreign_key, link_table, owned


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


PROPOSAL_STATUS_LABELS = labels(
    ProposalStatus,
    {
        ProposalStatus.DRAFT: _l("Draft"),
        ProposalStatus.SUBMITTED: _l("Submitted"),
        ProposalStatus.IN_REVIEW: _l("In review"),
        ProposalStatus.CHANGES_REQUESTED: _l("Changes requested"),
        ProposalStatus.ACCEPTED: _l("Accepted"),
        ProposalStatus.DECLINED: _l("Declined"),
        ProposalStatus.WITHDRAWN: _l("Withdrawn"),
    },
)


OPEN_STATUSES = frozenset(
    {
        ProposalStatus.DRAFT,
        ProposalStatus.SUBMITTED,
        ProposalStatus.IN_REVIEW,
        ProposalStatus.CHANGES_REQUESTED,
    }
)


class Objective(enum.StrEnum):
    RAISE_AMBITION = "raise_ambition"
    FURTHER_IMPLEMENTATION = "further_implementation"
    BOTH = "both"


OBJECTIVE_LABELS = labels(
    Objective,
    {
        Objective.RAISE_AMBITION: _l("Raise ambition"),
        Objective.FURTHER_IMPLEMENTATION: _l("Further implementation"),
        Objective.BOTH: _l("Both"),
    },
)


class EventFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


FORMAT_LABELS = labels(
    EventFormat,
    {
        EventFormat.IN_PERSON: _l("In person"),
        EventFormat.ONLINE: _l("Online"),
        EventFormat.HYBRID: _l("Hybrid"),
    },
)


class HostStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Recommendation(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    REQUEST_CHANGES = "request_changes"


RECOMMENDATION_LABELS = labels(
    Recommendation,
    {
        Recommendation.ACCEPT: _l("Accept"),
        Recommendation.DECLINE: _l("Decline"),
        Recommendation.REQUEST_CHANGES: _l("Request changes"),
    },
)


proposal_themes = link_table("proposal_themes", "proposals", "themes")


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(
            "ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="ends_after_start"
        ),
        CheckConstraint("expected_size IS NULL OR expected_size > 0", name="positive_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The member proposing; its focal points edit, submit and withdraw the proposal.
    member_id: Mapped[int] = foreign_key("members", ondelete="RESTRICT", index=True)
    created_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[Objective | None] = mapped_column(enum_column(Objective, "objectives"))
    format: Mapped[EventFormat | None] = mapped_column(enum_column(EventFormat, "proposal_format"))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str | None] = mapped_column(TimezoneName)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    expected_size: Mapped[int | None]
    audience: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An administrator may waive the government-and-civil-society rule, saying why.
    cocreation_waiver_reason: Mapped[str | None] = mapped_column(Text)
    cocreation_waived_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    cocreation_waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    # Rises each time the proposal is submitted again after changes were requested.
    review_round: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped["Member"] = relationship()  # noqa: F821
    themes: Mapped[list["Theme"]] = relationship(  # noqa: F821
        secondary=proposal_themes, order_by="Theme.position"
    )
    hosts: Mapped[list["ProposalHost"]] = owned(by="proposal", order_by="ProposalHost.id")
    transitions: Mapped[list["ProposalTransition"]] = owned(
        by="proposal", order_by="ProposalTransition.id"
    )
    reviews: Mapped[list["Review"]] = owned(by="proposal", order_by="Review.id")
    event: Mapped["Event | None"] = relationship(back_populates="proposal")  # noqa: F821

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"


class ProposalHost(db.Model):
    """A member hosting the proposed event: the proposer, or an invited co-host."""

    __tablename__ = "proposal_hosts"
    __table_args__ = (UniqueConstraint("proposal_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = foreign_key("proposals", ondelete="CASCADE")
    member_id: Mapped[int] = foreign_key("members", ondelete="RESTRICT", index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    status: Mapped[HostStatus] = mapped_column(
        enum_column(HostStatus, "host_status"), default=HostStatus.INVITED
    )
    responded_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="hosts")
    member: Mapped["Member"] = relationship()  # noqa: F821


class ProposalTransition(db.Model):
    """One change of a proposal's status: who, when, from, to and why. Never edited."""

    __tablename__ = "proposal_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = foreign_key("proposals", ondelete="CASCADE", index=True)
    actor_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    from_status: Mapped[ProposalStatus | None] = mapped_column(
        enum_column(ProposalStatus, "from_status")
    )
    to_status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, "to_status"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="transitions")
    actor: Mapped["User | None"] = relationship()  # noqa: F821


SCORE_CHECK = "{0} BETWEEN 1 AND 5"


class Review(db.Model):
    """A reviewer's recommendation and rubric scores in one review round; revisable until
    the decision ends the round, then kept as it was."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("proposal_id", "round", "reviewer_id"),
        CheckConstraint('"round" >= 1', name="round_positive"),
        *(
            CheckConstraint(SCORE_CHECK.format(name), name=f"{name}_range")
            for name in ("relevance", "ambition", "co_creation", "feasibility")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = foreign_key("proposals", ondelete="CASCADE")
    reviewer_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    recommendation: Mapped[Recommendation] = mapped_column(
        enum_column(Recommendation, "recommendation")
    )
    relevance: Mapped[int]
    ambition: Mapped[int]
    co_creation: Mapped[int]
    feasibility: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="reviews")
    reviewer: Mapped["User"] = relationship()  # noqa: F821

    @property
    def average(self) -> float:
        return (self.relevance + self.ambition + self.co_creation + self.feasibility) / 4
