"""Participants' privacy: who appears in public, inclusion data only in aggregate, and
anonymising personal answers once an event is long past."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Event, InclusionCount, Registration, RegistrationStatus, Theme, utcnow

# No count under this is shown, named, or left to be worked out, so nobody can be singled out.
SMALLEST_SHOWN = 5
DIMENSIONS = ("gender", "age_band", "indigenous", "disability", "sector")

# One dimension's rows: (value, count), and (None, count) for "Other or fewer than 5".
Rows = list[tuple[str | None, int]]


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


def _live_counts(event_ids: list[int]) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
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
                counts[registration.event_id][(dimension, value)] += 1
    return counts


def _kept_counts(event_ids: list[int]) -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in db.session.scalars(
        select(InclusionCount).where(InclusionCount.event_id.in_(event_ids))
    ):
        counts[row.event_id][(row.dimension, row.value)] += row.count
    return counts


def protect(counts: Mapping[str, int]) -> Rows:
    """One dimension's rows: every value shown counts at least 5, the rest fold into one
    "Other or fewer than 5" row (None) of at least 5, so that no count under 5 is shown,
    named, or is the difference between a known total and the numbers shown.

    A lone remainder under 5 would be exactly that difference: the smallest value shown
    folds in with it. When everyone together is fewer than 5, nothing is shown."""
    shown = {value: n for value, n in counts.items() if n >= SMALLEST_SHOWN}
    other = sum(n for value, n in counts.items() if 0 < n < SMALLEST_SHOWN)
    if 0 < other < SMALLEST_SHOWN and shown:
        smallest = min(shown, key=lambda value: (shown[value], value))
        other += shown.pop(smallest)
    if other < SMALLEST_SHOWN and not shown:
        return []
    return [*sorted(shown.items()), *([(None, other)] if other else [])]


def add_up(tables: Iterable[Rows]) -> Rows:
    """Several views' rows added up value by value (the fold rows too): a view made only of
    what the others show, so that subtracting them from it reveals nothing new."""
    total: Counter = Counter()
    for rows in tables:
        for value, n in rows:
            total[value] += n
    named = sorted((value, n) for value, n in total.items() if value is not None)
    return [*named, *([(None, total[None])] if total[None] else [])]


def inclusion_counts(events: list[Event]) -> dict[str, Rows]:
    """Per dimension, the rows of `protect` for each event, added up over `events`.

    Rare self-described genders fold into "Other or fewer than 5" like any value under 5:
    a description typed in someone's own words could point at them. A theme's counts are
    the sum of what its events' pages show, never counts of its own, which could be
    subtracted from theirs."""
    live = _live_counts([e.id for e in events if e.anonymised_at is None])
    kept = _kept_counts([e.id for e in events if e.anonymised_at is not None])
    table: dict[str, Rows] = {}
    for dimension in DIMENSIONS:
        tables = []
        for event in events:
            counts = (live if event.anonymised_at is None else kept).get(event.id, Counter())
            tables.append(protect({v: n for (d, v), n in counts.items() if d == dimension}))
        table[dimension] = add_up(tables)
    return table


def theme_inclusion_counts(theme: Theme) -> dict[str, Rows]:
    """The theme's and its sub-themes' events' counts, added up as `inclusion_counts` does."""
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
        for (dimension, value), count in _live_counts([event.id])[event.id].items():
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
