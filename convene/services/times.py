"""Wall-clock times in an event's timezone, turned into UTC instants and back."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from . import InvalidInput

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def to_utc(value: datetime, timezone: str, field: str) -> datetime:
    """An aware datetime as UTC; a naive one read as wall time in `timezone`.

    A wall time the clocks skip (02:30 on the night they jump forward) is refused rather
    than moved, so nobody's session silently starts an hour off.
    """
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InvalidInput(
            str(_l("This date is out of range.")),
            {
                field: [
                    str(_l("Give a date between %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR))
                ]
            },
        )
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    zone = ZoneInfo(timezone)
    local = value.replace(tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != value:
        raise InvalidInput(
            str(_l("This time does not exist in %(tz)s.", tz=timezone)),
            {
                field: [
                    str(
                        _l(
                            "%(time)s does not exist on that day in %(tz)s: the clocks move "
                            "forward then. Choose another time.",
                            time=value.strftime("%H:%M"),
                            tz=timezone,
                        )
                    )
                ]
            },
        )
    return instant


def in_zone(value: datetime | None, timezone: str | None) -> datetime | None:
    """An instant as an aware datetime in `timezone`, its offset with it (for exports, and
    pages that show the zone's abbreviation); a naive value is a wall time in `timezone`."""
    if value is None or not timezone:
        return None
    zone = ZoneInfo(timezone)
    return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)


def to_local(value: datetime | None, timezone: str | None) -> datetime | None:
    """A UTC instant as a naive wall time in `timezone` (for forms and days)."""
    local = in_zone(value, timezone)
    return local and local.replace(tzinfo=None)
