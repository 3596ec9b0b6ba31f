"""Dates for tests, derived from today, so that every test passes whatever day it runs.

Tests of times and time zones need a known change of the clocks that is always ahead:
Paris (the European Union's rule) moves its clocks forward at 01:00 UTC on the last Sunday
of March, from UTC+1 to UTC+2. SUNDAY is that day five years from now; SATURDAY and MONDAY
are the days around it. An event on those days is always in the future, and a test that
writes "09:00 on SUNDAY" means 07:00 UTC, whatever the year.
"""

from datetime import UTC, date, datetime, time, timedelta


def last_sunday_of_march(year: int) -> date:
    end = date(year, 3, 31)
    return end - timedelta(days=(end.weekday() + 1) % 7)


YEAR = datetime.now(UTC).year + 5
SUNDAY = last_sunday_of_march(YEAR)
SATURDAY = SUNDAY - timedelta(days=1)
MONDAY = SUNDAY + timedelta(days=1)


def day(offset: int) -> date:
    """The day `offset` days after SUNDAY (before it when negative)."""
    return SUNDAY + timedelta(days=offset)


def wall(on: date, hour: int, minute: int = 0) -> datetime:
    """A naive wall-clock time, as people type it in an event's timezone."""
    return datetime.combine(on, time(hour, minute))


def utc(on: date, hour: int, minute: int = 0) -> datetime:
    """An instant in UTC."""
    return datetime.combine(on, time(hour, minute), UTC)


def typed(on: date, hour: int, minute: int = 0, seconds: bool = False) -> str:
    """A wall-clock time as a form (YYYY-MM-DDTHH:MM) or the API (…:SS) takes it."""
    text = f"{on.isoformat()}T{hour:02d}:{minute:02d}"
    return text + ":00" if seconds else text
