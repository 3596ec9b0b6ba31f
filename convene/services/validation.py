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
    """ISO 3166-1 alpha-2 codes Babel knows, without regions (419) or groupings (EU, ZZ)."""
    groupings = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in groupings
    )


@cache
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


# Languages an event can be held in: the partnership's three and the others its members use.
EVENT_LANGUAGES = (
    "en",
    "fr",
    "es",
    "pt",
    "ar",
    "ru",
    "zh",
    "de",
    "it",
    "nl",
    "id",
    "ms",
    "tl",
    "sw",
    "am",
    "ha",
    "yo",
    "wo",
    "ka",
    "hy",
    "uk",
    "ro",
    "pl",
    "tr",
    "hi",
    "ur",
    "bn",
    "ne",
    "ja",
    "ko",
    "mn",
    "ky",
    "uz",
    "kk",
    "fa",
    "he",
    "el",
    "sq",
    "sr",
    "hr",
    "mk",
    "bg",
    "cs",
    "sk",
    "sl",
    "et",
    "lv",
    "lt",
    "fi",
    "sv",
    "no",
    "da",
    "is",
    "sgn",
)


@cache
def language_name(code: str, locale: str = "en") -> str:
    if code == "sgn":
        return str(_l("Sign language"))
    return Locale.parse(locale).languages.get(code, code)


def check_languages(codes, field: str = "languages") -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    unknown = [code for code in codes if code not in EVENT_LANGUAGES]
    if unknown:
        raise InvalidInput(
            str(_l("Unknown language.")),
            {field: [str(_l("Unknown language code: %(codes)s.", codes=", ".join(unknown)))]},
        )
    return codes


ONE_LINE_MESSAGE = _l("Keep this on one line.")


def is_one_line(value: str | None) -> bool:
    """Titles, names and places are one line: calendars, e-mail subjects and CSV rely on it."""
    return not value or ("\n" not in value and "\r" not in value)
