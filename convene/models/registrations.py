"""Registrations: one person's place (or wait) at one event."""

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, labels, utcnow
from .columns import foreign_key
from .events import Sector


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    DECLINED = "declined"


REGISTRATION_STATUS_LABELS = labels(
    RegistrationStatus,
    {
        RegistrationStatus.PENDING: _l("Pending"),
        RegistrationStatus.CONFIRMED: _l("Confirmed"),
        RegistrationStatus.WAITLISTED: _l("Waiting list"),
        RegistrationStatus.CANCELLED: _l("Cancelled"),
        RegistrationStatus.DECLINED: _l("Declined"),
    },
)


ACTIVE_STATUSES = frozenset(
    {RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}
)


class Awaiting(enum.StrEnum):
    """Why a registration is pending."""

    EMAIL = "email"
    APPROVAL = "approval"


class AgeBand(enum.StrEnum):
    UNDER_25 = "under_25"
    FROM_25_TO_34 = "25_34"
    FROM_35_TO_44 = "35_44"
    FROM_45_TO_54 = "45_54"
    FROM_55_TO_64 = "55_64"
    FROM_65 = "65_plus"


AGE_BAND_LABELS = labels(
    AgeBand,
    {
        AgeBand.UNDER_25: _l("Under 25"),
        AgeBand.FROM_25_TO_34: _l("25 to 34"),
        AgeBand.FROM_35_TO_44: _l("35 to 44"),
        AgeBand.FROM_45_TO_54: _l("45 to 54"),
        AgeBand.FROM_55_TO_64: _l("55 to 64"),
        AgeBand.FROM_65: _l("65 or over"),
    },
)


class AttendanceMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One registration per person and event: registering again returns this one.
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)", name="position_iff_waiting"
        ),
        CheckConstraint(
            "waitlist_position IS NULL OR waitlist_position >= 1", name="position_from_one"
        ),
        CheckConstraint("(status = 'pending') = (awaiting IS NOT NULL)", name="pending_awaits"),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="CASCADE")
    user_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    awaiting: Mapped[Awaiting | None] = mapped_column(enum_column(Awaiting, "awaiting"))
    waitlist_position: Mapped[int | None]
    member_id: Mapped[int | None] = foreign_key("members", ondelete="SET NULL")
    organisation: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "sector"))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # Consents: to appear on the public list, and to give inclusion data (aggregate only).
    show_in_public_list: Mapped[bool] = mapped_column(default=False)
    inclusion_consent: Mapped[bool] = mapped_column(default=False)
    gender: Mapped[str | None] = mapped_column(String(100))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand, "age_band"))
    indigenous: Mapped[bool | None]
    disability: Mapped[bool | None]
    registered_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    # With the secret key it makes the links in e-mails that confirm or cancel without
    # signing in (services.registration.manage_token); a new nonce kills the old links.
    manage_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance_mode: Mapped[AttendanceMode | None] = mapped_column(
        enum_column(AttendanceMode, "attendance_mode")
    )
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised on every change a calendar must see (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    event: Mapped["Event"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    member: Mapped["Member | None"] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class InclusionCount(db.Model):
    """An aggregate kept when an event's personal data is anonymised."""

    __tablename__ = "inclusion_counts"
    __table_args__ = (UniqueConstraint("event_id", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("events", ondelete="CASCADE")
    dimension: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(100))
    count: Mapped[int]
