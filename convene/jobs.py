"""The background work, one function per job, whoever starts it: a cron line calling
`flask --app convene …`, a Celery worker or beat, or a request that queued e-mail.

Each job commits its own work, then hands the e-mail it queued to `dispatch_mail`, so a
job's messages are delivered the same way wherever the job ran.
"""

import logging
from collections.abc import Callable

from flask import current_app

from .database import writing
from .extensions import db
from .services import events, followup, outbox, privacy, registration
from .services.leaders import leaderships

log = logging.getLogger(__name__)


def dispatch_mail(ids: list[int]) -> None:
    """Deliver just-committed messages: through a Celery worker when a broker is configured,
    otherwise here and now. A broker that cannot be reached loses nothing: the messages
    stay pending in the outbox and the periodic sweep (or `outbox deliver`) sends them."""
    if not ids:
        return
    celery = current_app.extensions.get("celery")
    if celery is None:
        outbox.deliver_pending(ids)
        return
    try:
        celery.send_task("convene.deliver_mail", args=[ids])
    except Exception:  # noqa: BLE001 — any broker failure leaves the outbox to the sweep
        log.warning("could not queue %d e-mails; the outbox sweep will send them", len(ids))


def _committed(work: Callable[..., int], *args) -> int:
    """`work(*args)` as a job that writes: committed, then its queued e-mail dispatched;
    answers the number of things it did."""
    with writing():
        count = work(*args)
        db.session.commit()
        dispatch_mail(outbox.take_queued_ids())
    return count


def deliver_mail(ids: list[int] | None = None) -> outbox.DeliveryReport:
    """Send due messages (`ids` only, if given), after releasing claims of dead senders."""
    if ids is None:
        outbox.release_stale_claims()
    return outbox.deliver_pending(ids)


def complete_ended_events() -> int:
    return _committed(events.complete_ended)


def expire_registrations() -> int:
    return _committed(registration.expire_unconfirmed)


def anonymise_registrations(days: int | None = None) -> int:
    days = current_app.config["ANONYMISE_AFTER_DAYS"] if days is None else days
    return _committed(privacy.anonymise_ended_events, days)


def send_followup_reminders(days: int | None = None) -> int:
    days = current_app.config["FOLLOWUP_REMINDER_DAYS"] if days is None else days
    return _committed(followup.send_reminders, days)


def end_leadership_terms() -> leaderships.TermsReport:
    """End the leaderships whose term is over; tell those ending soon, once (run daily)."""
    return _committed(leaderships.end_terms)
