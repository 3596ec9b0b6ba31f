"""Session times as people read them: in the event's timezone, and in the viewer's beside it."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import request
from flask_babel import format_date
from flask_login import current_user

from ..i18n import select_timezone
from ..services.times import in_zone
from ..services.validation import canonical_timezone


@dataclass
class Span:
    start: str  # 09:00
    end: str
    zone: str  # the abbreviation in force then: CET, CEST, -03, JST
    day: date  # the day it starts in this timezone
    shift: int  # days between `day` and the day it starts in the event's timezone


def span(starts: datetime, ends: datetime, tz: str, event_day: date | None = None) -> Span:
    """A session's start and end in `tz`; `shift` says how many days its start moves
    from `event_day` (the day it starts in the event's timezone)."""
    local_start, local_end = in_zone(starts, tz), in_zone(ends, tz)
    day = local_start.date()
    return Span(
        start=local_start.strftime("%H:%M"),
        end=local_end.strftime("%H:%M"),
        zone=local_start.tzname() or tz,
        day=day,
        shift=(day - event_day).days if event_day else 0,
    )


def day_label(day: date) -> str:
    return format_date(day, "full")


def viewer_timezone() -> str:
    """The signed-in person's timezone; for anyone else the canonical zone of the `tz`
    parameter, else UTC (and `refused_timezone` says so)."""
    if not current_user.is_authenticated:
        tz = canonical_timezone(request.args.get("tz"))
        if tz:
            return tz
    return select_timezone()


def refused_timezone() -> bool:
    """Whether the page was asked for a `tz` that is no timezone, and so shows UTC."""
    asked = request.args.get("tz")
    return bool(asked) and not current_user.is_authenticated and not canonical_timezone(asked)
