"""Registration settings: opening and closing, capacity, waiting list, approval, quotas."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import policy
from ...extensions import db
from ...models import Event, Registration, RegistrationStatus, Sector, SectorQuota
from ...policy import Actor
from .. import InvalidInput, audit
from ..registration import promote_waiting
from ..times import to_utc
from .lifecycle import require_open

REGISTRATION_SETTINGS = (
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "waitlist_enabled",
    "manual_approval",
    "show_participants",
    "quotas",
)


@dataclass
class RegistrationSettings:
    opens_at: datetime | None = None  # naive: wall time in the event's timezone
    closes_at: datetime | None = None
    capacity: int | None = None
    waitlist_enabled: bool = True
    manual_approval: bool = False
    show_participants: bool = True
    quotas: dict[str, int] = field(default_factory=dict)  # sector → seats


def update_registration_settings(actor: Actor, event: Event, settings: RegistrationSettings):
    """Opening and closing, capacity, waiting list, approval and quotas.

    Capacity and quotas cannot drop below the seats already confirmed; raising them
    gives the new seats to the people waiting.
    """
    policy.require_manage_event(actor, event)
    require_open(event)
    errors: dict[str, list[str]] = {}
    opens, closes = _window(event, settings, errors)
    _check_capacity(event, settings.capacity, errors)
    quotas = _quotas(event, settings.quotas, errors)
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    before = audit.snapshot(event, REGISTRATION_SETTINGS)
    event.registration_opens_at, event.registration_closes_at = opens, closes
    event.capacity = settings.capacity
    event.waitlist_enabled = bool(settings.waitlist_enabled)
    event.manual_approval = bool(settings.manual_approval)
    event.show_participants = bool(settings.show_participants)
    _set_quotas(event, quotas)
    if changed := audit.changes(before, event):
        summary = f"changed the registration settings of “{event.title}”"
        audit.record(actor, "event.settings_changed", "event", event.id, summary, changed)
    db.session.flush()
    return promote_waiting(event)


def _window(
    event: Event, settings: RegistrationSettings, errors: dict
) -> tuple[datetime | None, datetime | None]:
    """When registration opens and closes, in UTC; what is wrong with them goes to `errors`."""
    opens = closes = None
    try:
        opens = to_utc(settings.opens_at, event.timezone, "opens_at") if settings.opens_at else None
        closes = (
            to_utc(settings.closes_at, event.timezone, "closes_at") if settings.closes_at else None
        )
    except InvalidInput as error:
        errors.update(error.fields)
    if opens and closes and closes <= opens:
        errors["closes_at"] = [str(_l("Registration must close after it opens."))]
    if closes and closes > event.ends_at:
        errors["closes_at"] = [str(_l("Registration must close by the end of the event."))]
    return opens, closes


def _check_capacity(event: Event, capacity: int | None, errors: dict) -> None:
    """A capacity (None: unlimited) within bounds and not below the seats already taken."""
    if capacity is not None and not 0 <= capacity <= 1_000_000:
        errors["capacity"] = [str(_l("Give a number of seats from 0 to 1,000,000."))]
    elif capacity is not None and capacity < event.seats_taken:
        errors["capacity"] = [
            str(
                _l(
                    "%(n)d people are already confirmed: cancel some registrations first.",
                    n=event.seats_taken,
                )
            )
        ]


def _quotas(event: Event, given: dict | None, errors: dict) -> dict[Sector, int]:
    """The seats kept for each sector, none below those of its people already confirmed."""
    quotas = {}
    for sector, seats in (given or {}).items():
        try:
            quotas[Sector(sector)] = int(seats)
        except (ValueError, TypeError):
            errors["quotas"] = [str(_l("Unknown sector or number of seats."))]
    existing = {q.sector: q for q in event.quotas}
    for sector, seats in quotas.items():
        taken = existing[sector].taken if sector in existing else _confirmed_in(event, sector)
        if seats < 0:
            errors[f"quotas.{sector.value}"] = [str(_l("Give a number of seats from 0."))]
        elif seats < taken:
            errors[f"quotas.{sector.value}"] = [
                str(_l("%(n)d people of this sector are already confirmed.", n=taken))
            ]
    return quotas


def _set_quotas(event: Event, quotas: dict[Sector, int]) -> None:
    """Make the event's quotas `quotas`: a new one counts the sector's confirmed people."""
    existing = {q.sector: q for q in event.quotas}
    for sector, quota in existing.items():
        if sector not in quotas:
            event.quotas.remove(quota)
    for sector, seats in quotas.items():
        if sector in existing:
            existing[sector].seats = seats
        else:
            event.quotas.append(
                SectorQuota(sector=sector, seats=seats, taken=_confirmed_in(event, sector))
            )


def _confirmed_in(event: Event, sector: Sector) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Registration.event_id == event.id,
                Registration.sector == sector,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        or 0
    )
