"""An event's details as typed, checked field by field."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import EventFormat, Theme
from .. import Checks, InvalidInput, content
from ..calendars import real_address
from ..times import to_utc
from ..validation import (
    ONE_LINE_MESSAGE,
    check_country,
    check_languages,
    check_timezone,
    check_web_address,
    clean_email,
    is_one_line,
)


@dataclass
class EventInput:
    """What an organiser or administrator types; times are wall times in `timezone`."""

    title: str = ""
    description: str = ""
    theme_ids: list[int] = field(default_factory=list)
    format: str | None = None
    starts_at: datetime | None = None  # naive: wall time in `timezone`
    ends_at: datetime | None = None
    timezone: str = ""
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    online_url: str | None = None
    contact_email: str | None = None  # public; calendars give it as the ORGANIZER
    languages: list[str] = field(default_factory=list)
    # None leaves them as they are (the API may leave them out).
    language: str | None = None
    translations: dict | None = None


def clean_event(data: EventInput) -> dict:
    """The event's values from `data`, or InvalidInput naming every field wrong."""
    checks = Checks()
    values, errors, check = checks.values, checks.errors, checks.run

    def text(name, limit, required=False):
        value = (getattr(data, name) or "").strip()
        if required and not value:
            raise InvalidInput("", {name: [str(_l("This field is required."))]})
        if len(value) > limit:
            raise InvalidInput("", {name: [str(_l("Keep this under %(n)d characters.", n=limit))]})
        if name in ("title", "venue", "city") and not is_one_line(value):
            raise InvalidInput("", {name: [str(ONE_LINE_MESSAGE)]})
        return value or None

    check("title", lambda: text("title", 200, required=True))
    check("description", lambda: text("description", 20_000) or "")
    for name, limit in (("venue", 200), ("address", 1000), ("city", 120)):
        check(name, lambda name=name, limit=limit: text(name, limit))
    check("online_url", lambda: check_web_address(data.online_url, "online_url"))
    check("contact_email", lambda: _check_contact(data.contact_email))
    check("timezone", lambda: check_timezone(data.timezone))
    check("country", lambda: check_country(data.country) if data.country else None)
    check("languages", lambda: check_languages(data.languages))
    check("format", lambda: EventFormat(data.format) if data.format else _required("format"))
    check("themes", lambda: check_themes(data.theme_ids))
    if data.language is not None or data.translations is not None:
        language = data.language or "en"
        check("translations", lambda: content.clean_translations(language, data.translations))
        if "translations" in values:
            values["language"] = language
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is None:
            errors.setdefault(name, []).append(str(_l("This field is required.")))
        elif "timezone" in values or value.tzinfo is not None:
            check(
                name,
                lambda value=value, name=name: to_utc(value, values.get("timezone") or "UTC", name),
            )
    if (
        values.get("starts_at")
        and values.get("ends_at")
        and values["ends_at"] <= values["starts_at"]
    ):
        errors.setdefault("ends_at", []).append(str(_l("The end must come after the start.")))
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    return values


def _required(name):
    raise InvalidInput("", {name: [str(_l("This field is required."))]})


def _check_contact(value: str | None) -> str | None:
    """A real address or None: calendars name it as the organiser, so no host that no mail
    reaches (events@localhost) either."""
    value = (value or "").strip()
    if not value:
        return None
    address = clean_email(value, "contact_email")
    if real_address(address) is None:
        raise InvalidInput(
            "",
            {"contact_email": [str(_l("Enter a valid e-mail address, like name@example.org."))]},
        )
    return address


def check_themes(theme_ids) -> list[Theme]:
    """The themes of `theme_ids`, each once; InvalidInput on "themes" for an unknown id."""
    ids = list(dict.fromkeys(theme_ids or []))
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(ids))).all() if ids else []
    if len(themes) != len(ids):
        raise InvalidInput("", {"themes": [str(_l("Unknown theme."))]})
    return themes
