"""When registering, and changing one's answers, is still possible."""

from flask_babel import lazy_gettext as _l

from ...models import Event, EventStatus, Registration, utcnow
from .. import Conflict


class RegistrationClosed(Conflict):
    code = "registration_closed"


def registration_open(event: Event) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    now = utcnow()
    if event.status is not EventStatus.PUBLISHED:
        return str(_l("This event is not open for registration."))
    if event.registration_opens_at and now < event.registration_opens_at:
        return str(_l("Registration has not opened yet."))
    closes = event.registration_closes_at or event.ends_at
    if now >= closes:
        return str(_l("Registration is closed."))
    return None


def answers_locked(registration: Registration) -> str | None:
    """Why the participant can no longer change their answers, or None (see update_answers)."""
    event = registration.event
    if not registration.is_active:
        return str(_l("This registration is no longer active: its answers cannot change."))
    if utcnow() >= (event.registration_closes_at or event.ends_at):
        return str(_l("Registration is closed: answers can no longer change."))
    return None
