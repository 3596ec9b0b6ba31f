"""Members of the partnership and the people who speak for them."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, labels, utcnow
from .columns import ShownBySlug, link_row, owned


class MemberKind(enum.StrEnum):
    NATIONAL_GOVERNMENT = "national_government"
    LOCAL_GOVERNMENT = "local_government"
    CIVIL_SOCIETY = "civil_society"
    OTHER = "other"

    @property
    def is_government(self) -> bool:
        return self in (MemberKind.NATIONAL_GOVERNMENT, MemberKind.LOCAL_GOVERNMENT)


MEMBER_KIND_LABELS = labels(
    MemberKind,
    {
        MemberKind.NATIONAL_GOVERNMENT: _l("National government"),
        MemberKind.LOCAL_GOVERNMENT: _l("Local government"),
        MemberKind.CIVIL_SOCIETY: _l("Civil society"),
        MemberKind.OTHER: _l("Other"),
    },
)


class Member(ShownBySlug, db.Model):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("length(country) = 2 AND upper(country) = country", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MemberKind] = mapped_column(enum_column(MemberKind, "member_kind"))
    # ISO 3166-1 alpha-2; a civil-society organisation gives the country it works from.
    country: Mapped[str] = mapped_column(String(2), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    focal_points: Mapped[list["FocalPoint"]] = owned(by="member")


# "Government of Chile" and "government of chile" are one member.
Index("uq_members_name_lower", func.lower(Member.name), unique=True)


class FocalPoint(link_row("members", "users"), db.Model):
    """A person who speaks for a member: proposes, organises and reports for it."""

    __tablename__ = "focal_points"
    # Columns, from link_row: id, member_id, user_id, created_at.

    member: Mapped[Member] = relationship(back_populates="focal_points")
    user: Mapped["User"] = relationship(back_populates="focal_points")  # noqa: F821
