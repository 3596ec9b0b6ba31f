"""Writing a VCALENDAR: its header, a VTIMEZONE for each zone its entries use, and them."""

from datetime import date
from functools import lru_cache

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from ..vtimezone import vtimezone

PRODID = "-//convene//thematic events//EN"
END_OF_CALENDAR = b"END:VCALENDAR\r\n"


def _one_line(text: str) -> str:
    """A calendar's name is one line: a stored line break must not start a property."""
    return " ".join((text or "").split())


def calendar_bytes(
    name: str, vevents, method: str | None = None, zone: tuple[str, int] = ("UTC", 2000)
) -> bytes:
    """A VCALENDAR of `vevents` ((component, its timezone), any iterable) with a VTIMEZONE
    for every TZID used, covering the years the feed spans; never without a component.

    Each entry is written out as soon as it is made, so a feed of 10,000 sessions never
    holds 10,000 components in memory, only their bytes; the VTIMEZONEs, the same in every
    feed, are kept written out. Without entries, the VTIMEZONE of `zone` (name, year) is
    the calendar's one component."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", vText(_one_line(name)))
    spans: dict[str, tuple[date, date]] = {}
    entries = []
    for vevent, tz in vevents:
        start, end = vevent.decoded("dtstart").date(), vevent.decoded("dtend").date()
        first, last = spans.get(tz, (start, end))
        spans[tz] = (min(first, start), max(last, end))
        entries.append(vevent.to_ical())
    head = calendar.to_ical()
    assert head.endswith(END_OF_CALENDAR)  # noqa: S101 # nosec B101 # what icalendar writes
    zones = [
        _vtimezone_bytes(tz, date(first.year, 1, 1), date(last.year + 1, 1, 1))
        for tz, (first, last) in sorted(spans.items())
    ] or [_placeholder(zone)]
    return b"".join([head[: -len(END_OF_CALENDAR)], *zones, *entries, END_OF_CALENDAR])


def _placeholder(zone: tuple[str, int]) -> bytes:
    """What an empty calendar holds: RFC 5545 §3.6 wants at least one component and strict
    parsers refuse a VCALENDAR without; a VTIMEZONE is one that every client reads and
    none shows."""
    tz, year = zone
    return _vtimezone_bytes(tz, date(year, 1, 1), date(year + 1, 1, 1))


@lru_cache(maxsize=256)
def _vtimezone_bytes(tz: str, first: date, last: date) -> bytes:
    return vtimezone(tz, first, last).to_ical()


def calendar_of_days(name: str, vevents: list[VEvent], zone: tuple[str, int]) -> bytes:
    """A VCALENDAR of all-day entries: dates need no VTIMEZONE, but a calendar without
    entries holds that of `zone` (name, year) as its one component."""
    calendar = Calendar()
    for key, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", vText(_one_line(name))),
    ):
        calendar.add(key, value)
    for vevent in vevents:
        calendar.add_component(vevent)
    if not vevents:
        return calendar.to_ical()[: -len(END_OF_CALENDAR)] + _placeholder(zone) + END_OF_CALENDAR
    return calendar.to_ical()
