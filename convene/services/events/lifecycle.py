"""The life of an event: draft, published, then cancelled or completed; everyone registered
hears of what changes for them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import ACTIVE_STATUSES, Event, EventFormat, EventStatus, Registration, utcnow
from ...policy import Actor
from .. import Conflict, InvalidInput, audit
from ..registration import mail_registrant


def require_open(event: Event) -> None:
    """Conflict once the event is cancelled or completed: its details and settings stay."""
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        raise Conflict(str(_l("A cancelled or completed event can no longer be changed.")))


def publish(actor: Actor, event: Event) -> None:
    """draft → published: open to everyone (and to registration, when it opens)."""
    policy.require_manage_event(actor, event)
    if event.status is not EventStatus.DRAFT:
        raise Conflict(str(_l("Only a draft can be published.")))
    if event.ends_at <= utcnow():
        raise Conflict(str(_l("An event that has ended cannot be published.")))
    if event.format is not EventFormat.ONLINE and not (event.city or event.venue):
        raise InvalidInput(
            str(_l("Say where the event takes place before publishing it.")),
            {"city": [str(_l("Required unless the event is online."))]},
        )
    event.status = EventStatus.PUBLISHED
    event.sequence += 1
    audit.record(actor, "event.published", "event", event.id, f"published “{event.title}”")


def cancel_event(actor: Actor, event: Event, message: str) -> None:
    """Cancel a draft or published event and tell everyone registered, with `message`."""
    policy.require_manage_event(actor, event)
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise Conflict(str(_l("Only a draft or published event can be cancelled.")))
    message = (message or "").strip()
    if not message:
        raise InvalidInput(
            str(_l("Tell the participants why.")),
            {"message": [str(_l("Tell the participants why."))]},
        )
    event.status = EventStatus.CANCELLED
    event.cancellation_message = message[:5000]
    event.cancelled_at = utcnow()
    event.sequence += 1
    audit.record(actor, "event.cancelled", "event", event.id, f"cancelled “{event.title}”")
    tell_registered(event, "event_cancelled", message=message)


def complete(actor: Actor, event: Event) -> None:
    policy.require_manage_event(actor, event)
    if event.status is not EventStatus.PUBLISHED or event.ends_at > utcnow():
        raise Conflict(str(_l("Only a published event that has ended can be completed.")))
    event.status, event.completed_at = EventStatus.COMPLETED, utcnow()
    audit.record(actor, "event.completed", "event", event.id, f"completed “{event.title}”")


def complete_ended(now: datetime | None = None) -> int:
    """Mark published events that have ended as completed; returns how many."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now)
    ).all()
    for event in events:
        event.status, event.completed_at = EventStatus.COMPLETED, now
        audit.record(None, "event.completed", "event", event.id, f"completed “{event.title}”")
    return len(events)


def tell_registered(event: Event, template: str, **context) -> None:
    """E-mail `template` to everyone whose registration is active."""
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES)
        )
    ).all()
    for registration in registrations:
        mail_registrant(registration, template, **context)
