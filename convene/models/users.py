"""People who sign in, their platform roles and their tokens."""

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimezoneName, UTCDateTime, enum_column, labels, utcnow
from .columns import foreign_key, owned


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    ASSESSOR = "assessor"


ROLE_LABELS = labels(
    Role,
    {
        Role.ADMIN: _l("Administrator"),
        Role.REVIEWER: _l("Reviewer"),
        Role.ASSESSOR: _l("Independent assessor"),
    },
)


class TokenPurpose(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a token purpose, not a secret  # nosec B105


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    # None for people who only registered for an event and never chose a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(TimezoneName, default="UTC")
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # With the secret key it makes the private calendar feed's address; None: no feed.
    calendar_nonce: Mapped[str | None] = mapped_column(String(32))

    roles: Mapped[list["UserRole"]] = owned(
        by="user", lazy="selectin", foreign_keys="UserRole.user_id"
    )
    focal_points: Mapped[list["FocalPoint"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def role_names(self) -> set[str]:
        return {role.role.value for role in self.roles}

    def has_role(self, role: Role | str) -> bool:
        return Role(role).value in self.role_names

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


# Addresses are unique whatever their case: Ana@Example.org and ana@example.org are one person.
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])


class UserToken(db.Model):
    """A single-use, expiring secret sent by e-mail; only its hash is kept."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its hash is kept, and it can be revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters, shown on the profile page so people can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
