"""Who someone is: signed in or not, an administrator, the members they speak for."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, FocalPoint, Role, User
from ..services import PermissionDenied


class _System:
    """The actor for command-line work: the operator at the console may do anything."""

    id = None
    is_admin = True
    is_authenticated = True

    def has_role(self, role: Role) -> bool:
        return True

    def __repr__(self) -> str:
        return "<system>"


SYSTEM = _System()
# Never marked for translation yet: marking it needs its French and Spanish first.
ADMINISTRATORS_ONLY = "Only administrators can do this."
# Who acts: a person, or SYSTEM. Rules also take None or Flask-Login's anonymous visitor.
Actor = User | _System


def actor_id(actor: Actor | None) -> int | None:
    return getattr(actor, "id", None)


def is_signed_in(user: Actor | None) -> bool:
    """True for a person who signed in (or holds a token) and for SYSTEM; never for None."""
    return user is not None and getattr(user, "is_authenticated", False)


def refuse_unless(allowed: bool, reason) -> None:
    """PermissionDenied with `reason`, the words people read, unless `allowed`: what every
    require_* does with its can_*."""
    if not allowed:
        raise PermissionDenied(str(reason))


def refuse_with(refusal) -> None:
    """PermissionDenied with `refusal` if there is one: the require_* of an action whose
    `*_refusal` says why not."""
    refuse_unless(refusal is None, refusal)


def can_administer(user: Actor | None) -> bool:
    """Administrators (and SYSTEM) manage members, themes, people and the outbox."""
    return is_signed_in(user) and user.is_admin


def require_administer(user: Actor | None) -> None:
    refuse_unless(can_administer(user), ADMINISTRATORS_ONLY)


def member_ids_of(user: Actor | None) -> set[int]:
    """The members `user` speaks for (is a focal point of), in one query; none for SYSTEM."""
    if not is_signed_in(user) or user.id is None:
        return set()
    return set(
        db.session.scalars(select(FocalPoint.member_id).where(FocalPoint.user_id == user.id))
    )


def can_create_api_token(user: User) -> bool:
    """Programs act only for people whose account is active and address confirmed."""
    return user.email_confirmed and user.active


def require_create_api_token(user: User) -> None:
    refuse_unless(
        can_create_api_token(user), _l("Confirm your e-mail address before creating tokens.")
    )


def can_revoke_api_token(user: User, token: ApiToken) -> bool:
    """A person revokes their own tokens; anyone else's do not exist for them."""
    return token.user_id == user.id


def can_delete_account(user: Actor | None, account: User) -> bool:
    """People delete their own account (with their password: services.personal_data), and
    administrators anyone's."""
    return is_signed_in(user) and (actor_id(user) == account.id or user.is_admin)


def require_delete_account(user: Actor | None, account: User) -> None:
    refuse_unless(can_delete_account(user, account), ADMINISTRATORS_ONLY)
