"""Members of the partnership and the people who speak for them."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, labels, utcnow


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


class Member(db.Model):
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

    focal_points: Mapped[list["FocalPoint"]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Member {self.slug}>"


# "Government of Chile" and "government of chile" are one member.
Index("uq_members_name_lower", func.lower(Member.name), unique=True)


class FocalPoint(db.Model):
    """A person who speaks for a member: proposes, organises and reports for it."""

    __tablename__ = "focal_points"
    __table_args__ = (UniqueConstraint("member_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship(back_populates="focal_points")
    user: Mapped["User"] = relationship(back_populates="focal_points")  # noqa: F821
