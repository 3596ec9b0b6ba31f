"""Registrations: who sees one, who changes it, who registers others."""

from flask_babel import lazy_gettext as _l

from ..models import Registration
from .events import can_manage_event
from .people import Actor, actor_id, member_ids_of, refuse_unless


def owns_registration(user: Actor | None, registration: Registration) -> bool:
    """The person registered: only they change their answers or cancel it as their own."""
    return user is not None and actor_id(user) == registration.user_id


def can_see_registration(user: Actor | None, registration: Registration) -> bool:
    """The person registered and the event's organisers; to anyone else it does not exist.
    Someone who registers without signing in is not told whether the address already was
    (see services.registration.register_or_remind)."""
    return owns_registration(user, registration) or can_manage_event(user, registration.event)


def can_register_delegation(user: Actor | None, member_id: int | None = None) -> bool:
    """A member's focal points register several of its people at once (for `member_id`,
    or, without one, for some member)."""
    mine = member_ids_of(user)
    return member_id in mine if member_id is not None else bool(mine)


def require_register_delegation(user: Actor | None, member_id: int) -> None:
    refuse_unless(
        can_register_delegation(user, member_id),
        _l("You can register delegations only for your own member."),
    )
