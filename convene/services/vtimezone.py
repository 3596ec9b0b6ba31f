"""VTIMEZONE components built from the IANA database, as RFC 5545 §3.6.5 defines them.

Each change of offset in the years a feed spans becomes a STANDARD or DAYLIGHT part whose
DTSTART is the wall-clock time of the change in the offset *before* it (02:00 for Paris
in spring, 03:00 in autumn), so clients without the IANA database still shift at the
right instant.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset()


def transitions(
    zone: ZoneInfo, first: date, last: date
) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC instant, offset before, offset after) of every change between the two dates."""
    found = []
    instant = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last, time(0), tzinfo=UTC)
    step = timedelta(hours=12)
    before = _offset(zone, instant)
    while instant < end:
        following = instant + step
        after = _offset(zone, following)
        if after != before:
            low, high = instant, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(microsecond=0), before, after))
            before = after
        instant = following
    return found


def _part(kind, onset_local: datetime, before: timedelta, after: timedelta, name: str):
    part = kind()
    part.add("dtstart", onset_local)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    if name:
        part.add("tzname", name)
    return part


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of `tzid` valid from `first` to `last`.

    Kept once built (a millisecond of bisection each time, in every registration e-mail):
    callers add it to calendars and never change it."""
    zone = ZoneInfo(tzid)
    component = Timezone()
    component.add("tzid", tzid)
    start = datetime.combine(first, time(0), tzinfo=UTC)
    initial = _offset(zone, start)
    local_start = start.astimezone(zone)
    kind = TimezoneDaylight if local_start.dst() else TimezoneStandard
    component.add_component(
        _part(kind, (start + initial).replace(tzinfo=None), initial, initial, local_start.tzname())
    )
    for instant, before, after in transitions(zone, first, last):
        local = instant.astimezone(zone)
        kind = TimezoneDaylight if local.dst() else TimezoneStandard
        onset = (instant + before).replace(tzinfo=None)
        component.add_component(_part(kind, onset, before, after, local.tzname()))
    return component
