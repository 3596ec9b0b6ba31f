"""Finding registrations: for their owner, the event's organisers, or a person's own list."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import Event, Registration, User
from ...policy import Actor
from ..rows import get_visible

NO_SUCH_REGISTRATION = _l("No such registration.")


def get_registration(actor: Actor | None, registration_id: int) -> Registration:
    """The registration, for its owner or the event's organisers; NotFound for anyone else."""
    see = policy.can_see_registration
    return get_visible(Registration, registration_id, actor, see, NO_SUCH_REGISTRATION)


def own_registration(actor: Actor | None, registration_id: int) -> Registration:
    """The actor's own registration; NotFound for anyone else's, organisers' included."""
    owns = policy.owns_registration
    return get_visible(Registration, registration_id, actor, owns, NO_SUCH_REGISTRATION)


def registration_of(user: User, event: Event) -> Registration | None:
    """`user`'s registration for `event` (whatever its status), None for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )


def active_registration_of(user: User, event: Event) -> Registration | None:
    """`user`'s registration for `event` while it holds or awaits a seat, else None."""
    registration = registration_of(user, event)
    return registration if registration is not None and registration.is_active else None


def registrations_of_user(user: User) -> list[Registration]:
    """A person's registrations across events, by the events' start."""
    return db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id)
        .order_by(Event.starts_at, Registration.id)
    ).all()
