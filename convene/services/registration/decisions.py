"""Organisers' decisions on a registration, each recorded in the audit log."""

from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import AttendanceMode, Awaiting, Registration, RegistrationStatus, utcnow
from ...policy import Actor
from .. import Conflict, InvalidInput, audit
from .mails import mail_registrant
from .registering import cancel
from .seats import EventFull, lock, seat_free, set_status
from .waiting import allocate, seat_from_line


def _moved(actor: Actor, registration: Registration, verb: str, was, **details) -> None:
    """Record an organiser's move; the person is named by the registration's number only."""
    summary = (
        f"{verb.replace('_', ' ')}: registration {registration.id} for “{registration.event.title}”"
    )
    details = {"event_id": registration.event_id, "from": was, "to": registration.status, **details}
    audit.record(actor, f"registration.{verb}", "registration", registration.id, summary, details)


def approve(actor: Actor, registration: Registration) -> None:
    policy.require_manage_event(actor, registration.event)
    if registration.awaiting is not Awaiting.APPROVAL:
        raise Conflict(str(_l("This registration is not waiting for approval.")))
    allocate(registration)
    _moved(actor, registration, "approved", RegistrationStatus.PENDING)


def decline(actor: Actor, registration: Registration) -> None:
    policy.require_manage_event(actor, registration.event)
    if registration.status is not RegistrationStatus.PENDING:
        raise Conflict(str(_l("Only a pending registration can be declined.")))
    set_status(registration, RegistrationStatus.DECLINED)
    registration.sequence += 1
    _moved(actor, registration, "declined", RegistrationStatus.PENDING)
    mail_registrant(registration, "registration_declined")


def move_from_waitlist(actor: Actor, registration: Registration) -> None:
    """An organiser gives a free seat to this person rather than the first in line."""
    policy.require_manage_event(actor, registration.event)
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise Conflict(str(_l("This person is not on the waiting list.")))
    event = lock(registration.event)
    if not seat_free(event, registration.sector):
        raise EventFull(str(_l("There is no free seat (or none left for this sector).")))
    seat_from_line(event, registration)
    _moved(actor, registration, "moved_from_waitlist", RegistrationStatus.WAITLISTED)
    mail_registrant(registration, "registration_promoted")


def cancel_by_organiser(actor: Actor, registration: Registration) -> list[Registration]:
    policy.require_manage_event(actor, registration.event)
    was = registration.status
    promoted = cancel(registration, by_organiser=True)
    if was is not registration.status:
        _moved(actor, registration, "cancelled", was)
    return promoted


def set_check_in(actor: Actor, registration: Registration, mode: str | None) -> None:
    """Check a confirmed participant in (in person or online), or undo it (mode None)."""
    policy.require_manage_event(actor, registration.event)
    if mode is None:
        if registration.checked_in_at is not None:
            _moved(actor, registration, "check_in_undone", registration.status)
        registration.checked_in_at, registration.attendance_mode = None, None
        return
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(str(_l("Only confirmed participants can be checked in.")))
    try:
        registration.attendance_mode = AttendanceMode(mode)
    except ValueError:
        raise InvalidInput(str(_l("Choose in person or online."))) from None
    registration.checked_in_at = utcnow()
    _moved(actor, registration, "checked_in", registration.status, mode=mode)
