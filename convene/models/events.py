"""Events: what an accepted proposal becomes, run by its hosts' focal points."""

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
from .base import TimezoneName, Translatable, UTCDateTime, enum_column, labels, utcnow
from .columns import ShownBySlug, foreign_key, link_row, link_table, owned
from .proposals import EventFormat


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


EVENT_STATUS_LABELS = labels(
    EventStatus,
    {
        EventStatus.DRAFT: _l("Draft"),
        EventStatus.PUBLISHED: _l("Published"),
        EventStatus.CANCELLED: _l("Cancelled"),
        EventStatus.COMPLETED: _l("Completed"),
    },
)


event_themes = link_table("event_themes", "events", "themes")
event_hosts = link_table("event_hosts", "events", "members")


class Event(ShownBySlug, Translatable, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # The database itself refuses an oversold event, whatever the code above it does.
        CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="not_oversold"),
        CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat, "event_format"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(TimezoneName)
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    venue: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    # The join link: shown only to confirmed participants.
    online_url: Mapped[str | None] = mapped_column(String(500))
    # A public address for questions, given in calendars as the ORGANIZER.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    image_path: Mapped[str | None] = mapped_column(String(200))
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: no limit. `seats_taken` counts confirmed registrations and is only changed
    # while the event's row is locked (see services.registration).
    capacity: Mapped[int | None]
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    manual_approval: Mapped[bool] = mapped_column(default=False)
    show_participants: Mapped[bool] = mapped_column(default=True)
    cancellation_message: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposal_id: Mapped[int | None] = foreign_key("proposals", ondelete="SET NULL", unique=True)
    # Raised on every change a calendar must see (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    proposal: Mapped["Proposal | None"] = relationship(back_populates="event")  # noqa: F821
    themes: Mapped[list["Theme"]] = relationship(  # noqa: F821
        secondary=event_themes, order_by="Theme.position"
    )
    hosts: Mapped[list["Member"]] = relationship(  # noqa: F821
        secondary=event_hosts, order_by="Member.name"
    )
    organisers: Mapped[list["EventOrganiser"]] = owned(by="event")
    questions: Mapped[list["EventQuestion"]] = owned(by="event", order_by="EventQuestion.position")
    quotas: Mapped[list["SectorQuota"]] = owned(by="event", order_by="SectorQuota.sector")

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class EventOrganiser(link_row("events", "users"), db.Model):
    __tablename__ = "event_organisers"
    # Columns, from link_row: id, event_id, user_id, created_at.

    event: Mapped[Event] = relationship(back_populates="organisers")
    user: Mapped["User"] = relationship()  # noqa: F821


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    CHECKBOX = "checkbox"


QUESTION_KIND_LABELS = labels(
    QuestionKind,
    {
        QuestionKind.SHORT_TEXT: _l("Short text"),
        QuestionKind.LONG_TEXT: _l("Long text"),
        QuestionKind.SINGLE_CHOICE: _l("One choice among options"),
        QuestionKind.MULTIPLE_CHOICE: _l("Several choices among options"),
        QuestionKind.CHECKBOX: _l("A box to tick"),
    },
)


class EventQuestion(db.Model):
    """A question the organisers ask everyone who registers."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="CASCADE", index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    label: Mapped[str] = mapped_column(String(300))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="questions")


class Sector(enum.StrEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    PRIVATE_SECTOR = "private_sector"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    MEDIA = "media"
    OTHER = "other"


SECTOR_LABELS = labels(
    Sector,
    {
        Sector.GOVERNMENT: _l("Government"),
        Sector.CIVIL_SOCIETY: _l("Civil society"),
        Sector.ACADEMIA: _l("Academia"),
        Sector.PRIVATE_SECTOR: _l("Private sector"),
        Sector.INTERNATIONAL_ORGANISATION: _l("International organisation"),
        Sector.MEDIA: _l("Media"),
        Sector.OTHER: _l("Other"),
    },
)


class SectorQuota(db.Model):
    """At most `seats` confirmed participants from one sector."""

    __tablename__ = "sector_quotas"
    __table_args__ = (
        UniqueConstraint("event_id", "sector"),
        CheckConstraint("taken >= 0 AND taken <= seats", name="within_quota"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="CASCADE")
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "quota_sector"))
    seats: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="quotas")
