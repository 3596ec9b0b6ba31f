"""Participants' privacy: who appears in public, inclusion data only in aggregate, and
anonymising personal answers once an event is long past."""

from collections import Counter
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, InclusionCount, Registration, RegistrationStatus, Theme, utcnow

# Counts under this are shown as "fewer than 5", so nobody can be singled out.
SMALLEST_SHOWN = 5
DIMENSIONS = ("gender", "age_band", "indigenous", "disability", "sector")
OTHER_GENDERS = "other self-descriptions"


def public_participants(event: Event) -> list[Registration]:
    """Confirmed participants who agreed to appear on the event's public list."""
    if not event.show_participants:
        return []
    return db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.show_in_public_list.is_(True),
        )
        .options(selectinload(Registration.user), selectinload(Registration.member))
        .order_by(Registration.confirmed_at)
    ).all()


def _value(registration: Registration, dimension: str) -> str | None:
    value = getattr(registration, dimension)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return (
        getattr(value, "value", str(value)).strip().lower()
        if dimension == "gender"
        else (getattr(value, "value", str(value)))
    )


def _live_counts(event_ids: list[int]) -> Counter:
    counts: Counter = Counter()
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.event_id.in_(event_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.anonymised_at.is_(None),
        )
    )
    for registration in registrations:
        for dimension in DIMENSIONS:
            if dimension != "sector" and not registration.inclusion_consent:
                continue
            value = _value(registration, dimension)
            if value is not None:
                counts[(dimension, value)] += 1
    return counts


def _kept_counts(event_ids: list[int]) -> Counter:
    counts: Counter = Counter()
    for row in db.session.scalars(
        select(InclusionCount).where(InclusionCount.event_id.in_(event_ids))
    ):
        counts[(row.dimension, row.value)] += row.count
    return counts


def inclusion_counts(events: list[Event]) -> dict[str, list[tuple[str, int | None]]]:
    """Counts per dimension and value over `events`; None stands for "fewer than 5"."""
    live = [e.id for e in events if e.anonymised_at is None]
    kept = [e.id for e in events if e.anonymised_at is not None]
    counts = _live_counts(live) + _kept_counts(kept)
    table: dict[str, list[tuple[str, int | None]]] = {d: [] for d in DIMENSIONS}
    rare = 0
    for (dimension, value), count in sorted(counts.items()):
        if dimension == "gender" and count < SMALLEST_SHOWN:
            # A rare self-description, in someone's own words, could name them: pool it.
            rare += count
            continue
        table[dimension].append((value, count if count >= SMALLEST_SHOWN else None))
    if rare:
        table["gender"].append((OTHER_GENDERS, rare if rare >= SMALLEST_SHOWN else None))
    return table


def theme_inclusion_counts(theme: Theme) -> dict[str, list[tuple[str, int | None]]]:
    ids = [theme.id, *(child.id for child in theme.children)]
    events = db.session.scalars(select(Event).where(Event.themes.any(Theme.id.in_(ids)))).all()
    return inclusion_counts(events)


def anonymise_ended_events(days: int, now=None) -> int:
    """Keep the aggregates, then erase personal answers of events ended `days` ago.

    Returns how many events were anonymised. Names and accounts stay (people may still
    sign in); what they told the organisers about themselves goes.
    """
    if days < 0:
        raise ValueError(str(_l("The number of days cannot be negative.")))
    now = now or utcnow()
    events = db.session.scalars(
        select(Event).where(
            Event.anonymised_at.is_(None), Event.ends_at < now - timedelta(days=days)
        )
    ).all()
    for event in events:
        for (dimension, value), count in _live_counts([event.id]).items():
            db.session.add(
                InclusionCount(event_id=event.id, dimension=dimension, value=value, count=count)
            )
        for registration in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)
        ):
            registration.answers = {}
            registration.accessibility_needs = None
            registration.organisation = None
            registration.gender = None
            registration.age_band = None
            registration.indigenous = None
            registration.disability = None
            registration.anonymised_at = now
        event.anonymised_at = now
    return len(events)
