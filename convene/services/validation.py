"""Checks on single values, shared by forms, the API and the importers."""

import re
import unicodedata
from datetime import date, time
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from . import InvalidInput

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache
def timezone_names() -> frozenset[str]:
    """The timezones people choose from: tzdata's zone.tab (every country's zones under
    their current names, none of the old aliases in tzdata's `backward` file), and UTC.

    Not offered: aliases (Africa/Asmera, US/Eastern, Etc/UTC), names of the server's own
    setup (localtime, posixrules), Factory, and Etc/GMT±N, whose signs read backwards."""
    listed = _tzdata_text("zone.tab").splitlines()
    names = {line.split("\t")[2] for line in listed if line and not line.startswith("#")}
    # The zones zoneinfo can load: those of the system, which it reads first, or tzdata's.
    return frozenset((names | {"UTC"}) & (available_timezones() | {"UTC"}))


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache
def _timezone_aliases() -> dict[str, str]:
    """{old or other name: canonical name} for every name that is the same zone as a
    canonical one, from tzdata's links ("L target name" lines of tzdata.zi)."""
    links = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _kind, target, name = line.split()
            links[name] = target

    def zone(name: str) -> str:
        while name in links:
            name = links[name]
        return name

    same = {}
    for name in timezone_names():
        same.setdefault(zone(name), []).append(name)
    # UTC is the canonical name of the zero-offset zone, whatever it was called.
    same[zone("Etc/UTC")] = same[zone("Etc/GMT")] = ["UTC"]
    aliases = {}
    for name in sorted(set(links) | {"Etc/UTC", "Etc/GMT"}):
        candidates = same.get(zone(name))
        if not candidates or name in timezone_names():
            continue
        # The zone the link points at (GB: Europe/London), unless another name of the same
        # zone is the old one respelled (Africa/Asmera: Africa/Asmara, not Africa/Nairobi).
        closest = max(candidates, key=lambda c: SequenceMatcher(None, name, c).ratio())
        respelled = SequenceMatcher(None, name, closest).ratio() >= 0.8
        aliases[name] = zone(name) if zone(name) in candidates and not respelled else closest
    return aliases


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


def canonical_timezone(name: str | None) -> str | None:
    """The canonical name of the zone `name` stands for (itself when canonical, Asia/Kolkata
    for the old Asia/Calcutta, UTC for Etc/UTC or GMT); None when there is none."""
    if not name or len(name) > 64:
        return None
    return name if name in timezone_names() else _timezone_aliases().get(name)


def check_timezone(value: str, field: str = "timezone") -> str:
    """`value` when it is a canonical timezone name; InvalidInput saying which to use."""
    if value in timezone_names():
        return value
    canonical = canonical_timezone(value)
    if canonical:
        message = _l(
            "%(name)s is an old name: choose %(canonical)s.", name=value, canonical=canonical
        )
    else:
        message = _l("Choose a timezone from the list, like Europe/Paris.")
    raise InvalidInput(str(_l("Unknown timezone.")), {field: [str(message)]})


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
            {field: [str(_l("Unknown language code: %(codes)s.", codes=some_of(unknown)))]},
        )
    return codes


def some_of(values, count: int = 5, length: int = 40) -> str:
    """The first few of `values`, each cut short, for a message that names what was wrong
    without repeating megabytes of what was sent."""
    values = [str(value) for value in values]
    shown = [value if len(value) <= length else value[: length - 1] + "…" for value in values]
    return ", ".join(shown[:count] + (["…"] if len(shown) > count else []))


ONE_LINE_MESSAGE = _l("Keep this on one line.")


def is_one_line(value: str | None) -> bool:
    """Titles, names and places are one line: calendars, e-mail subjects and CSV rely on it."""
    return not value or ("\n" not in value and "\r" not in value)


# Dates and times as people type them: a well-written day the calendar lacks (2026-02-30)
# or a time no clock shows (24:61) is said not to exist, not to be written wrongly.

DATE_FORMAT_MESSAGE = _l("Give the date as YYYY-MM-DD.")
TIME_FORMAT_MESSAGE = _l("Give the time as HH:MM (24 hours).")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
# A date and time as ISO 8601 and HTML forms write them, with or without an offset.
_MOMENT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ]([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def _refused(field: str, message) -> InvalidInput:
    return InvalidInput(str(message), {field: [str(message)]})


def parse_date(text: str | None, field: str = "date") -> date:
    """The day written YYYY-MM-DD; InvalidInput saying how to write it, or that a
    well-written day such as 2026-02-30 does not exist."""
    text = (text or "").strip()
    match = _DATE.fullmatch(text)
    if match is None:
        raise _refused(field, DATE_FORMAT_MESSAGE)
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _refused(
            field,
            _l("The date %(value)s does not exist: check the day and the month.", value=text),
        ) from None


def parse_time(text: str | None, field: str = "time") -> time:
    """The time of day written HH:MM (seconds allowed, as spreadsheets add them);
    InvalidInput saying how to write it, or that a time such as 24:61 does not exist."""
    text = (text or "").strip()
    match = _TIME.fullmatch(text)
    if match is None:
        raise _refused(field, TIME_FORMAT_MESSAGE)
    try:
        return time(*(int(part) for part in match.groups() if part is not None))
    except ValueError:
        raise _refused(
            field,
            _l(
                "The time %(value)s does not exist: hours go from 00 to 23 and minutes "
                "from 00 to 59.",
                value=text,
            ),
        ) from None


def nonexistent(text) -> str | None:
    """For a date, or a date and time, written as ISO 8601 or an HTML form writes it but
    naming a day or a time that does not exist, the message saying so; None otherwise
    (for a real moment or one written some other way, which its parser explains)."""
    match = _MOMENT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    day, clock = match.groups()
    try:
        parse_date(day)
        if clock:
            parse_time(clock)
    except InvalidInput as error:
        return error.message
    return None


def check_web_address(value: str | None, name: str, message: str = "") -> str | None:
    """`value` stripped, or None when empty; InvalidInput on the field `name` (with `message`)
    unless it is an http(s) address of at most 500 characters."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 500 or not value.lower().startswith(("https://", "http://")):
        why = _l("Give a web address starting with https:// (at most 500 characters).")
        raise InvalidInput(str(message), {name: [str(why)]})
    return value
