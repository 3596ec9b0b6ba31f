"""What a proposer types, and the checks that turn it into a proposal's values.

Any field may be missing while the proposal is a draft: completeness is checked at
submission (submission.submission_problems).
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import EventFormat, Member, Objective, Proposal, Theme
from .. import Checks, InvalidInput, choice
from ..times import to_utc
from ..validation import check_country, check_languages, check_timezone

MAX_TITLE, MAX_SUMMARY, MAX_AUDIENCE, MAX_COMMENT = 200, 5000, 2000, 5000
MAX_SIZE = 100_000


@dataclass
class ProposalInput:
    """What a focal point types; any field may be missing while the proposal is a draft."""

    title: str = ""
    summary: str = ""
    objectives: str | None = None
    theme_ids: list[int] = field(default_factory=list)
    format: str | None = None
    starts_at: datetime | None = None  # naive = wall time in `timezone`
    ends_at: datetime | None = None
    timezone: str | None = None
    city: str | None = None
    country: str | None = None
    expected_size: int | None = None
    audience: str = ""
    languages: list[str] = field(default_factory=list)
    cohost_ids: list[int] = field(default_factory=list)


def clean(data: ProposalInput, proposer_id: int) -> dict:
    """Well-formed values; InvalidInput naming every field that is not. Completeness is
    checked at submission."""
    checks = Checks()
    values, check = checks.values, checks.run

    def too_long(name, value, limit):
        if len(value) > limit:
            raise InvalidInput("", {name: [str(_l("Keep this under %(n)d characters.", n=limit))]})
        return value

    title = (data.title or "").strip()
    check("title", lambda: too_long("title", title, MAX_TITLE))
    if not title:
        checks.add("title", _l("Give the proposal a title."))
    check("summary", lambda: too_long("summary", (data.summary or "").strip(), MAX_SUMMARY))
    check("audience", lambda: too_long("audience", (data.audience or "").strip(), MAX_AUDIENCE))
    check("city", lambda: too_long("city", (data.city or "").strip(), 120) or None)
    check("objectives", lambda: _enum(Objective, data.objectives, "objectives"))
    check("format", lambda: _enum(EventFormat, data.format, "format"))
    check("timezone", lambda: check_timezone(data.timezone) if data.timezone else None)
    check("country", lambda: check_country(data.country) if data.country else None)
    check("languages", lambda: check_languages(data.languages))
    check("expected_size", lambda: _size(data.expected_size))
    check("themes", lambda: _themes(data.theme_ids))
    check("cohosts", lambda: _cohosts(data.cohost_ids, proposer_id))
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None and not values.get("timezone"):
            checks.add(name, _l("Choose the timezone of these times."))
        elif value is not None:
            check(
                name,
                lambda value=value, name=name: to_utc(value, values.get("timezone") or "UTC", name),
            )
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        checks.add("ends_at", _l("The end must come after the start."))
    return checks.done()


def _enum(enum_class, value, name):
    if value in (None, ""):
        return None
    return choice(enum_class, value, name, _l("Choose one of the options."))


def _size(value):
    if value is None:
        return None
    if not 1 <= value <= MAX_SIZE:
        raise InvalidInput(
            "", {"expected_size": [str(_l("Give a number between 1 and %(n)d.", n=MAX_SIZE))]}
        )
    return value


def _themes(theme_ids):
    ids = list(dict.fromkeys(theme_ids or []))
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(ids))).all() if ids else []
    if len(themes) != len(ids):
        raise InvalidInput("", {"themes": [str(_l("Unknown theme."))]})
    return themes


def _cohosts(member_ids, proposer_id):
    ids = [i for i in dict.fromkeys(member_ids or []) if i != proposer_id]
    members = db.session.scalars(select(Member).where(Member.id.in_(ids))).all() if ids else []
    if len(members) != len(ids):
        raise InvalidInput("", {"cohosts": [str(_l("Unknown member among the co-hosts."))]})
    return members


# What a proposer writes; "themes" too, set apart below.
CONTENT = (
    "title",
    "summary",
    "audience",
    "city",
    "objectives",
    "format",
    "timezone",
    "country",
    "languages",
    "expected_size",
    "starts_at",
    "ends_at",
)


def apply(proposal: Proposal, values: dict) -> None:
    """Set what the proposer wrote; themes left out are none."""
    for name in CONTENT:
        if name in values:
            setattr(proposal, name, values[name])
    proposal.themes = values.get("themes", [])


def required_text(name: str, value: str | None, message) -> str:
    """`value` stripped; InvalidInput saying `message` of the field `name` if it is empty."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(str(message), {name: [str(message)]})
    return value
