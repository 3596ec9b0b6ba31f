"""Seats: the event's counters, kept under the lock on the event's row.

Every change that moves a seat or a place in the queue first locks the event's row
(`lock`), so on PostgreSQL concurrent registrations for one event take turns, and on
SQLite the request already holds the write lock. The database checks the result too:
`seats_taken <= capacity` and a sector's `taken <= seats` are constraints.
"""

from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect

from ...extensions import db
from ...models import Event, Registration, RegistrationStatus, Sector, SectorQuota, utcnow
from .. import Conflict


class EventFull(Conflict):
    code = "event_full"


EVENT_COLUMNS = [column.key for column in sa_inspect(Event).column_attrs]


def lock(event: Event) -> Event:
    """Lock the event's row until commit and reread its columns (its counters above all).

    Relationships already loaded stay loaded, but for the sector quotas, whose counters
    change under this lock too: they are read again."""
    db.session.refresh(event, attribute_names=EVENT_COLUMNS, with_for_update=True)
    if "quotas" not in sa_inspect(event).unloaded and event.quotas:
        db.session.scalars(
            select(SectorQuota)
            .where(SectorQuota.event_id == event.id)
            .execution_options(populate_existing=True)
        ).all()
    return event


def preload(event: Event) -> None:
    """Load what placing someone reads (quotas) and what their e-mail shows (hosts, themes),
    so that none of it is fetched while the event is locked."""
    for name in ("quotas", "hosts", "themes"):
        getattr(event, name)


def set_status(registration: Registration, status: RegistrationStatus, awaiting=None) -> None:
    registration.status = status
    registration.awaiting = awaiting
    if status is not RegistrationStatus.WAITLISTED:
        registration.waitlist_position = None


def quota(event: Event, sector: Sector) -> SectorQuota | None:
    return next((q for q in event.quotas if q.sector is sector), None)


def seat_free(event: Event, sector: Sector) -> bool:
    sector_quota = quota(event, sector)
    if sector_quota is not None and sector_quota.taken >= sector_quota.seats:
        return False
    return event.capacity is None or event.seats_taken < event.capacity


def take_seat(event: Event, registration: Registration) -> None:
    event.seats_taken += 1
    sector_quota = quota(event, registration.sector)
    if sector_quota is not None:
        sector_quota.taken += 1
    set_status(registration, RegistrationStatus.CONFIRMED)
    registration.confirmed_at = utcnow()
    registration.sequence += 1


def free_seat(event: Event, registration: Registration) -> None:
    event.seats_taken -= 1
    sector_quota = quota(event, registration.sector)
    if sector_quota is not None:
        sector_quota.taken -= 1


def seat_counts_are_consistent(event: Event) -> bool:
    """True when the counters match the registrations (for tests and support staff)."""
    confirmed = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
        )
    )
    return confirmed == event.seats_taken
