"""The API's own fields: what they refuse when reading JSON, and times shown in a zone."""

import re
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask_babel import gettext as _

from ...models.base import MAX_ID
from ...services.validation import nonexistent

# Ids are 32-bit integer columns: anything larger is refused with 422, not a database error.
ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)

TIMEZONE_DOC = (
    "a canonical IANA name (tzdata's zone.tab, like Africa/Asmara) or UTC; an old alias "
    "(Africa/Asmera, US/Eastern) is refused with 422, its message naming the one to use"
)

# NUL and lone surrogates fit no database column (PostgreSQL refuses NUL, UTF-8 surrogates).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class Text(ma.fields.String):
    """A string refused with 422, not a database error, when it holds unstorable characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _UNSTORABLE.search(value):
            raise ma.ValidationError(_("Contains characters that are not allowed."))
        return value


class _SaysWhatDoesNotExist:
    """A date field that says a well-written date or time does not exist (2026-02-30,
    24:61), where marshmallow would only say that it is not valid."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ma.ValidationError:
            if message := nonexistent(value):
                raise ma.ValidationError(message) from None
            raise


class Date(_SaysWhatDoesNotExist, ma.fields.Date):
    pass


class DateTime(_SaysWhatDoesNotExist, ma.fields.DateTime):
    pass


class AwareDateTime(_SaysWhatDoesNotExist, ma.fields.AwareDateTime):
    pass


class ZonedDateTime(ma.fields.DateTime):
    """A time stored in UTC, shown with the offset of the IANA zone that `zone(obj)`
    names (the event's, for an event and what belongs to it); in UTC when it names none."""

    def __init__(self, zone: Callable[[Any], str | None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.zone = zone

    def _serialize(self, value, attr, obj, **kwargs):
        name = self.zone(obj) if value is not None else None
        if name:
            value = value.astimezone(_zone(name))
        return super()._serialize(value, attr, obj, **kwargs)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


EVENT_ZONE = attrgetter("event.timezone")
