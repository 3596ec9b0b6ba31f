"""Events: who sees one, who runs it, who gets its join link, who keeps an agenda."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select

from ..extensions import db
from ..models import Event, EventOrganiser, EventStatus, Registration, RegistrationStatus
from .people import Actor, can_administer, is_signed_in, refuse_unless

# Seen by everyone; a draft only by those who run it.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.COMPLETED)


def can_manage_event(user: Actor | None, event: Event) -> bool:
    """Its organisers and administrators run an event: settings, agenda, participants,
    commitments."""
    if not is_signed_in(user):
        return False
    return user.is_admin or any(o.user_id == user.id for o in event.organisers)


def require_manage_event(user: Actor | None, event: Event) -> None:
    refuse_unless(can_manage_event(user, event), _l("Only the event's organisers can do this."))


def can_see_event(user: Actor | None, event: Event) -> bool:
    return event.status in PUBLIC_STATUSES or can_manage_event(user, event)


def visible_events(user: Actor | None) -> ColumnElement[bool] | None:
    """can_see_event as a condition on a query of events; None when every event is seen."""
    if can_administer(user):
        return None
    visible = Event.status.in_(PUBLIC_STATUSES)
    if is_signed_in(user):
        visible = or_(visible, Event.organisers.any(EventOrganiser.user_id == user.id))
    return visible


def can_see_online_link(user: Actor | None, event: Event) -> bool:
    """Join links are for the event's confirmed participants and those who run it."""
    if can_manage_event(user, event):
        return True
    return is_signed_in(user) and bool(_confirmed_among(user, [event.id]))


def online_link_event_ids(user: Actor | None, events: Iterable[Event]) -> set[int]:
    """Of `events`, the ids whose join links `user` sees (can_see_online_link), in one
    query whatever their number."""
    events = list(events)
    if not is_signed_in(user) or not events:
        return set()
    shown = _confirmed_among(user, [event.id for event in events])
    return shown | {e.id for e in events if e.id not in shown and can_manage_event(user, e)}


def _confirmed_among(user: Actor, event_ids: list[int]) -> set[int]:
    """Of `event_ids`, those where `user` holds a confirmed seat."""
    return set(
        db.session.scalars(
            select(Registration.event_id).where(
                Registration.user_id == user.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.event_id.in_(event_ids),
            )
        )
    )


def can_keep_agenda(user: Actor | None) -> bool:
    """Anyone signed in stars sessions into their own agenda."""
    return is_signed_in(user)


def require_keep_agenda(user: Actor | None) -> None:
    refuse_unless(can_keep_agenda(user), _l("Sign in to keep your own agenda."))
