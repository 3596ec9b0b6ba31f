"""Checks on single values, shared by forms, the API and the importers."""

import re
import unicodedata
from functools import cache
from zoneinfo import available_timezones

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from . import InvalidInput

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes Babel knows (numeric region codes like 419 left out)."""
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


def country_name(code: str, locale: str = "en") -> str:
    return Locale.parse(locale).territories.get(code, code)


def clean_email(value: str, field: str = "email") -> str:
    """A syntactically valid address, its domain lower-cased; InvalidInput otherwise."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(
            str(_l("This is not a valid e-mail address.")),
            {field: [str(_l("Enter a valid e-mail address, like name@example.org."))]},
        ) from None
    return result.normalized


def check_timezone(value: str, field: str = "timezone") -> str:
    if value not in timezone_names():
        raise InvalidInput(
            str(_l("Unknown timezone.")),
            {field: [str(_l("Choose a timezone from the list, like Europe/Paris."))]},
        )
    return value


def check_country(value: str, field: str = "country") -> str:
    code = (value or "").strip().upper()
    if code not in country_codes():
        raise InvalidInput(
            str(_l("Unknown country.")),
            {field: [str(_l("Give a two-letter ISO 3166 country code, like FR or AR."))]},
        )
    return code


def check_slug(value: str, field: str = "slug") -> str:
    value = (value or "").strip()
    if not SLUG_RE.match(value) or len(value) > 64:
        raise InvalidInput(
            str(_l("Invalid short name.")),
            {field: [str(_l("Use lower-case letters, digits and single hyphens only."))]},
        )
    return value


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64] or "item"
