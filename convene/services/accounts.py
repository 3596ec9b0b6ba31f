"""Accounts: sign-up, e-mail confirmation, sign-in, password reset, profile, API tokens.

Messages never reveal whether an address has an account: sign-up and password reset
answer the same either way and tell the address's owner by e-mail instead.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..extensions import db
from ..models import ApiToken, Role, TokenPurpose, User, UserRole, UserToken, utcnow
from ..models.users import new_session_token
from ..policy import Actor, actor_id
from ..urls import external_url
from . import Conflict, InvalidInput, NotFound, audit, content, mail
from .security import hash_password, hash_secret, new_secret, password_matches
from .validation import check_timezone, clean_email

PASSWORD_MIN_LENGTH = 10
# The handful every leaked-password list starts with; length does the rest of the work.
COMMON_PASSWORDS = {
    "password123",
    "1234567890",
    "qwertyuiop",
    "password1234",
    "iloveyou12",
    "123456789a",
    "abcdefghij",
    "motdepasse",
    "contrasena1",
    "azertyuiop",
}


class SignInRefused(InvalidInput):
    """Wrong address or password; deliberately the same message for both."""


class EmailNotConfirmed(InvalidInput):
    def __init__(self, user: User):
        super().__init__(str(_l("Please confirm your e-mail address first.")))
        self.user = user


def password_problems(password: str, email: str | None = None) -> list[str]:
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(str(_l("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH)))
    elif password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append(str(_l("This password is too easy to guess.")))
    if email and password.lower() == email.lower():
        problems.append(str(_l("Your password must differ from your e-mail address.")))
    return problems


def _check_password(password: str, email: str | None, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise InvalidInput(str(_l("Choose a stronger password.")), {field: problems})


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(str(_l("No such person.")))
    return user


def create_user(
    email: str,
    name: str,
    password: str | None = None,
    *,
    confirmed: bool = False,
    locale: str | None = None,
    timezone: str = "UTC",
) -> User:
    """A new account; Conflict if the address (in any case) already has one."""
    email = clean_email(email)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(str(_l("A name is required.")), {"name": [str(_l("Enter a name."))]})
    if find_user_by_email(email) is not None:
        raise Conflict(
            str(_l("An account with this e-mail address already exists.")),
            {"email": [str(_l("An account with this e-mail address already exists."))]},
        )
    if password is not None:
        _check_password(password, email)
    user = User(
        email=email,
        name=name[:200],
        password_hash=hash_password(password) if password is not None else None,
        email_confirmed_at=utcnow() if confirmed else None,
        locale=locale,
        timezone=check_timezone(timezone),
    )
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, name: str, password: str, locale: str | None = None) -> None:
    """Start an account and e-mail a confirmation link.

    For an address that already has an account, nothing changes here and its owner is
    e-mailed instead, so the page answers alike for new and known addresses.
    """
    email = clean_email(email)
    _check_password(password, email)
    existing = find_user_by_email(email)
    if existing is not None:
        # The same work as for a new account (one hash), so timing tells nothing either.
        hash_password(password)
        mail.send(
            "account_exists",
            existing,
            locale=locale,
            sign_in_url=external_url("auth.sign_in"),
            reset_url=external_url("auth.forgot_password"),
        )
        return
    user = create_user(email, name, password, locale=locale)
    send_confirmation(user)


def _issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    secret = new_secret()
    db.session.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_secret(secret),
            expires_at=utcnow() + lifetime,
        )
    )
    return secret


def _usable_token(secret: str, purpose: TokenPurpose) -> UserToken:
    """The unused, unexpired token for `secret`; InvalidInput otherwise."""
    token = db.session.scalar(
        select(UserToken).where(
            UserToken.token_hash == hash_secret(secret or ""), UserToken.purpose == purpose
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise InvalidInput(
            str(_l("This link is invalid, has expired or was already used. Ask for a new one."))
        )
    return token


# The page each kind of one-time link opens.
LINK_PAGES = {
    TokenPurpose.CONFIRM_EMAIL: "auth.confirm_email",
    TokenPurpose.RESET_PASSWORD: "auth.reset_password",
}


def mail_link(
    user: User, purpose: TokenPurpose, lifetime: timedelta, template: str, **context
) -> None:
    """E-mail `user` the `template` message with a link for `purpose`, usable once within
    `lifetime`."""
    secret = _issue_token(user, purpose, lifetime)
    mail.send(template, user, url=external_url(LINK_PAGES[purpose], token=secret), **context)


def send_confirmation(user: User) -> None:
    """E-mail a link that confirms the address (nothing for an already confirmed one)."""
    if user.email_confirmed:
        return
    hours = current_app.config["EMAIL_CONFIRMATION_HOURS"]
    lifetime = timedelta(hours=hours)
    mail_link(user, TokenPurpose.CONFIRM_EMAIL, lifetime, "confirm_email", hours=hours)


def resend_confirmation(email: str) -> None:
    user = find_user_by_email(email)
    if user is not None and user.active:
        send_confirmation(user)


def confirm_email(secret: str) -> User:
    token = _usable_token(secret, TokenPurpose.CONFIRM_EMAIL)
    token.used_at = utcnow()
    user = token.user
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User:
    """The active account with this address and password; SignInRefused otherwise."""
    user = find_user_by_email(email or "")
    valid = password_matches(user.password_hash if user else None, password or "")
    if user is None or not valid or not user.active:
        raise SignInRefused(str(_l("Wrong e-mail address or password.")))
    if not user.email_confirmed:
        raise EmailNotConfirmed(user)
    user.last_sign_in_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the address has an account; silently nothing otherwise."""
    user = find_user_by_email(email or "")
    if user is None or not user.active:
        return
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    lifetime = timedelta(minutes=minutes)
    mail_link(user, TokenPurpose.RESET_PASSWORD, lifetime, "reset_password", minutes=minutes)


def check_reset_token(secret: str) -> None:
    """Raise InvalidInput unless `secret` is a usable reset token (leaves it unused)."""
    _usable_token(secret, TokenPurpose.RESET_PASSWORD)


def reset_password(secret: str, password: str) -> User:
    """Set a new password from a reset link; signs the person out everywhere else."""
    token = _usable_token(secret, TokenPurpose.RESET_PASSWORD)
    user = token.user
    _check_password(password, user.email)
    token.used_at = utcnow()
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    # Following the link proves the address works.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not password_matches(user.password_hash, current or ""):
        raise InvalidInput(
            str(_l("Your current password is not right.")),
            {"current_password": [str(_l("Your current password is not right."))]},
        )
    _check_password(new, user.email, field="new_password")
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()


def update_profile(user: User, name: str, timezone: str, locale: str | None) -> None:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(str(_l("A name is required.")), {"name": [str(_l("Enter a name."))]})
    if locale and locale not in content.LANGUAGES:
        raise InvalidInput(str(_l("Unknown language.")), {"locale": [str(_l("Unknown language."))]})
    user.name = name[:200]
    user.timezone = check_timezone(timezone)
    user.locale = locale or None


def sign_out_everywhere(user: User) -> None:
    user.session_token = new_session_token()


# API tokens ---------------------------------------------------------------------------


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new bearer token; the secret is returned once and only its hash is kept."""
    name = (name or "").strip()[:100] or str(_l("API token"))
    policy.require_create_api_token(user)
    secret = "cvn_" + new_secret()
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=hash_secret(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def api_tokens_of(user: User) -> list[ApiToken]:
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    # Someone else's token is "not found", so ids cannot be probed.
    if token is None or not policy.can_revoke_api_token(user, token):
        raise NotFound(str(_l("No such token.")))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def user_for_api_token(secret: str) -> User | None:
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_secret(secret))
        .options(joinedload(ApiToken.user))  # every API call reads both: one query
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    # Writing on every call would make each API read a write; a minute's precision will do.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token.user


# Roles and activation ----------------------------------------------------------------


def grant_role(actor: Actor, user: User, role: Role) -> None:
    policy.require_administer(actor)
    if not user.has_role(role):
        user.roles.append(UserRole(role=role, granted_by_id=actor_id(actor)))
        audit.record(actor, "role.granted", "user", user.id, f"granted {role} to person #{user.id}")


def revoke_role(actor: Actor, user: User, role: Role) -> None:
    policy.require_administer(actor)
    if role is Role.ADMIN and user.id == actor_id(actor):
        raise Conflict(str(_l("You cannot remove your own administrator role.")))
    for user_role in list(user.roles):
        if user_role.role is role:
            user.roles.remove(user_role)
            audit.record(
                actor, "role.revoked", "user", user.id, f"revoked {role} from person #{user.id}"
            )


def set_active(actor: Actor, user: User, active: bool) -> None:
    policy.require_administer(actor)
    if not active and user.id == actor_id(actor):
        raise Conflict(str(_l("You cannot deactivate your own account.")))
    if user.active != active:
        verb = "activated" if active else "deactivated"
        audit.record(actor, f"account.{verb}", "user", user.id, f"{verb} person #{user.id}")
    user.active = active
    if not active:
        sign_out_everywhere(user)
