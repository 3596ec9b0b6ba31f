"""Follow-up: commitments made at events, their progress updates and assessments.

Updates and assessments are only ever added, never edited, so the history stays whole.
"""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Translatable, UTCDateTime, enum_column, labels, utcnow
from .columns import foreign_key, link_table, owned


class CommitmentStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


COMMITMENT_STATUS_LABELS = labels(
    CommitmentStatus,
    {
        CommitmentStatus.NOT_STARTED: _l("Not started"),
        CommitmentStatus.LIMITED: _l("Limited"),
        CommitmentStatus.SUBSTANTIAL: _l("Substantial"),
        CommitmentStatus.COMPLETED: _l("Completed"),
        CommitmentStatus.WITHDRAWN: _l("Withdrawn"),
    },
)


commitment_themes = link_table("commitment_themes", "commitments", "themes")


class Commitment(Translatable, db.Model):
    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_event_due", "event_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="RESTRICT")
    # The member that committed; its focal points report progress.
    member_id: Mapped[int] = foreign_key("members", ondelete="RESTRICT", index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date)
    action_plan_ref: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    # None while a commitment added by the owner's focal point awaits an organiser.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821
    member: Mapped["Member"] = relationship()  # noqa: F821
    themes: Mapped[list["Theme"]] = relationship(secondary=commitment_themes)  # noqa: F821
    milestones: Mapped[list["Milestone"]] = owned(by="commitment", order_by="Milestone.due_date")
    updates: Mapped[list["ProgressUpdate"]] = owned(by="commitment", order_by="ProgressUpdate.id")
    assessments: Mapped[list["Assessment"]] = owned(by="commitment", order_by="Assessment.id")


class Milestone(db.Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = foreign_key("commitments", ondelete="CASCADE", index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")


class ProgressUpdate(db.Model):
    """The owner's self-report at one date."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = foreign_key("commitments", ondelete="CASCADE", index=True)
    author_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    reported_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(enum_column(CommitmentStatus, "update_status"))
    narrative: Mapped[str] = mapped_column(Text, default="")
    evidence_links: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")


class Assessment(db.Model):
    """An independent assessor's rating, kept beside (never instead of) the self-report."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = foreign_key("commitments", ondelete="CASCADE", index=True)
    assessor_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_column(CommitmentStatus, "assessed_status")
    )
    justification: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="assessments")
