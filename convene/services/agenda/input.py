"""What organisers type for a session, and the checks that turn it into stored values.

Times are typed as wall time in the event's timezone and stored in UTC; a session ending
before it starts is refused.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Event, Sector, SessionKind, Speaker, Theme, User
from .. import Checks, InvalidInput, choice, content
from ..times import to_utc
from ..validation import ONE_LINE_MESSAGE, check_languages, is_one_line

MAX_SPEAKERS = 30


@dataclass
class SpeakerInput:
    """One speaker as typed; `user_id` links the speaker to a person's account."""

    name: str
    affiliation: str | None = None
    sector: str | None = None
    gender: str | None = None
    user_id: int | None = None


@dataclass
class SessionInput:
    title: str = ""
    description: str = ""
    kind: str = "plenary"
    starts_at: datetime | None = None  # naive: wall time in the event's timezone
    ends_at: datetime | None = None
    room: str | None = None
    online_url: str | None = None
    track: str | None = None
    theme_id: int | None = None
    languages: list[str] = field(default_factory=list)
    interpretation: bool = False
    capacity: int | None = None
    speakers: list[SpeakerInput] = field(default_factory=list)
    # None leaves them as they are (the API may leave them out).
    language: str | None = None
    translations: dict | None = None


def _text(name: str, value: str | None, limit: int, required: bool = False) -> str | None:
    """`value` stripped (None if empty); InvalidInput if required and missing, on several
    lines (descriptions aside) or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        message = _l("This field is required.")
    elif name != "description" and not is_one_line(value):
        message = ONE_LINE_MESSAGE
    elif len(value) > limit:
        message = _l("Keep this under %(n)d characters.", n=limit)
    else:
        return value or None
    raise InvalidInput("", {name: [str(message)]})


def _refuse(name: str, message) -> NoReturn:
    raise InvalidInput("", {name: [str(message)]})


def _theme_id(theme_id: int | None) -> int | None:
    if theme_id is not None and db.session.get(Theme, theme_id) is None:
        _refuse("theme_id", _l("Unknown theme."))
    return theme_id


def _capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 1 <= capacity <= 1_000_000:
        _refuse("capacity", _l("Give a number of seats from 1 to 1,000,000."))
    return capacity


def _time(event: Event, name: str, value: datetime | None) -> datetime:
    if value is None:
        _refuse(name, _l("This field is required."))
    return to_utc(value, event.timezone, name)


def clean_session(event: Event, data: SessionInput) -> dict:
    """Checked values for a session of `event`; InvalidInput with per-field messages."""
    checks = Checks()
    values, check = checks.values, checks.run
    check("title", lambda: _text("title", data.title, 200, required=True))
    check("description", lambda: _text("description", data.description, 20_000) or "")
    check("room", lambda: _text("room", data.room, 120))
    check("track", lambda: _text("track", data.track, 120))
    values["interpretation"] = bool(data.interpretation)
    check("kind", lambda: choice(SessionKind, data.kind, "kind", _l("Choose a kind of session.")))
    check("online_url", lambda: _text("online_url", data.online_url, 500))
    url = (data.online_url or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        checks.add("online_url", _l("Give a web address starting with https://."))
    check("languages", lambda: check_languages(data.languages))
    check("theme_id", lambda: _theme_id(data.theme_id))
    check("capacity", lambda: _capacity(data.capacity))
    check("starts_at", lambda: _time(event, "starts_at", data.starts_at))
    check("ends_at", lambda: _time(event, "ends_at", data.ends_at))
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        checks.add("ends_at", _l("The session must end after it starts."))
    check("speakers", lambda: _clean_speakers(data.speakers))
    if data.language is not None or data.translations is not None:
        values["language"] = data.language or "en"
        limits = {"title": 200, "description": 20_000}
        check(
            "translations",
            lambda: content.clean_translations(values["language"], data.translations, limits),
        )
    return checks.done()


def _clean_speakers(speakers: list[SpeakerInput]) -> list[Speaker]:
    """The speakers in their order; InvalidInput naming each speaker's wrong fields."""
    if len(speakers) > MAX_SPEAKERS:
        _refuse("speakers", _l("At most %(n)d speakers.", n=MAX_SPEAKERS))
    checks = Checks()
    cleaned = [_clean_speaker(checks, position, data) for position, data in enumerate(speakers)]
    checks.done()
    return cleaned


def _clean_speaker(checks: Checks, position: int, data: SpeakerInput) -> Speaker:
    key = f"speakers.{position}"
    name = (data.name or "").strip()
    if not name or len(name) > 200:
        checks.add(f"{key}.name", _l("Give the speaker's name (at most 200 characters)."))
    sector = None
    if data.sector:
        try:
            sector = Sector(data.sector)
        except ValueError:
            checks.add(f"{key}.sector", _l("Unknown sector."))
    if data.user_id is not None and db.session.get(User, data.user_id) is None:
        checks.add(f"{key}.user_id", _l("No such person."))
    return Speaker(
        name=name[:200],
        affiliation=(data.affiliation or "").strip()[:200] or None,
        sector=sector,
        gender=(data.gender or "").strip()[:100] or None,
        user_id=data.user_id,
        position=position,
    )
