"""The waiting line: a place at its end when the event is full, and promotion in order as
seats free up."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ...extensions import db
from ...models import Event, Registration, RegistrationStatus
from .mails import mail_registrant
from .seats import EventFull, lock, seat_free, take_seat


def allocate(registration: Registration, locked: bool = False) -> None:
    """A seat if one is free, else a place at the end of the waiting list, else EventFull.
    `locked`: the caller holds the event's lock already."""
    event = registration.event if locked else lock(registration.event)
    if seat_free(event, registration.sector):
        take_seat(event, registration)
        db.session.flush()
        mail_registrant(registration, "registration_confirmed")
        return
    if not event.waitlist_enabled:
        raise EventFull(str(_l("This event is full.")))
    last = db.session.scalar(
        select(func.max(Registration.waitlist_position)).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    registration.status = RegistrationStatus.WAITLISTED
    registration.awaiting = None
    registration.waitlist_position = (last or 0) + 1
    registration.sequence += 1
    db.session.flush()
    mail_registrant(registration, "registration_waitlisted")


def leave_line(event: Event, position: int) -> None:
    """Close the gap a person leaves in the waiting list."""
    db.session.execute(
        update(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.waitlist_position > position,
        )
        .values(waitlist_position=Registration.waitlist_position - 1)
        .execution_options(synchronize_session="fetch")
    )


def seat_from_line(event: Event, registration: Registration) -> None:
    """Give a waiting person a seat (the caller holds the lock and checked one is free)."""
    position = registration.waitlist_position
    take_seat(event, registration)
    db.session.flush()
    leave_line(event, position)


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the people waiting, in order (skipping sectors that are full)."""
    event = lock(event)
    promoted = []
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED
        )
        .order_by(Registration.waitlist_position)
    ).all()
    for registration in waiting:
        if event.capacity is not None and event.seats_taken >= event.capacity:
            break
        if not seat_free(event, registration.sector):
            continue
        seat_from_line(event, registration)
        promoted.append(registration)
        mail_registrant(registration, "registration_promoted")
    return promoted
