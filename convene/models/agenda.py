"""An event's agenda: sessions in rooms or online, their speakers, and personal stars."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Translatable, UTCDateTime, enum_column, labels, utcnow
from .columns import foreign_key, link_row, owned
from .events import Sector


class SessionKind(enum.StrEnum):
    PLENARY = "plenary"
    PANEL = "panel"
    WORKSHOP = "workshop"
    ROUNDTABLE = "roundtable"
    SIDE_EVENT = "side_event"
    BREAK = "break"


SESSION_KIND_LABELS = labels(
    SessionKind,
    {
        SessionKind.PLENARY: _l("Plenary"),
        SessionKind.PANEL: _l("Panel"),
        SessionKind.WORKSHOP: _l("Workshop"),
        SessionKind.ROUNDTABLE: _l("Roundtable"),
        SessionKind.SIDE_EVENT: _l("Side event"),
        SessionKind.BREAK: _l("Break"),
    },
)


class AgendaSession(Translatable, db.Model):
    """One session of an event's agenda; times are stored in UTC, shown in the event's zone."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="positive_capacity"),
        Index("ix_sessions_event_starts", "event_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="CASCADE")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind, "session_kind"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str | None] = mapped_column(String(120))
    # The join link: shown only to the event's confirmed participants.
    online_url: Mapped[str | None] = mapped_column(String(500))
    track: Mapped[str | None] = mapped_column(String(120))
    theme_id: Mapped[int | None] = foreign_key("themes", ondelete="SET NULL")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpretation: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None]
    # Cancelled sessions stay on the agenda and in calendars, marked as cancelled.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised on every change a calendar must see (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821
    theme: Mapped["Theme | None"] = relationship()  # noqa: F821
    speakers: Mapped[list["Speaker"]] = owned(by="session", order_by="Speaker.position")


class Speaker(db.Model):
    """A speaker in one session: a registered person or someone from outside."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = foreign_key("sessions", ondelete="CASCADE", index=True)
    user_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL", index=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "speaker_sector"))
    # Self-described and consented; used only for the panel-balance warnings.
    gender: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="speakers")


class Star(link_row("users", "sessions"), db.Model):
    """A session a participant put in their own agenda."""

    __tablename__ = "stars"
    # Columns, from link_row: id, user_id, session_id, created_at.

    session: Mapped[AgendaSession] = relationship()
