"""Agendas: sessions and speakers, the warnings organisers see, and personal agendas.

Times are typed as wall time in the event's timezone and stored in UTC. Warnings never
block a save, except a session ending before it starts, which is refused.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import policy
from ..extensions import db
from ..models import (
    AgendaSession,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Sector,
    SessionKind,
    Speaker,
    Star,
    Theme,
    User,
    utcnow,
)
from ..policy import Actor
from . import InvalidInput, NotFound, content
from .times import to_utc
from .validation import ONE_LINE_MESSAGE, check_languages, is_one_line

MAX_SPEAKERS = 30
# Words people use for themselves that the all-male warning reads as "man".
MEN = {
    "man",
    "male",
    "m",
    "men",
    "cis man",
    "cisgender man",
    "homme",
    "masculin",
    "hombre",
    "masculino",
    "varón",
    "varon",
}


@dataclass
class SpeakerInput:
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


@dataclass
class AgendaWarning:
    code: str  # speaker_clash, room_clash, outside_event, all_male_panel, single_sector_panel
    message: str
    session_ids: list[int]


# Reading ---------------------------------------------------------------------------


def sessions_of(event: Event) -> list[AgendaSession]:
    """Every session of the event with its speakers and theme, in three queries whatever
    the agenda's size (an IN list per 500 sessions would grow with it)."""
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    speakers: dict[int, list[Speaker]] = defaultdict(list)
    for speaker in db.session.scalars(
        select(Speaker)
        .join(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(Speaker.session_id, Speaker.position, Speaker.id)
    ):
        speakers[speaker.session_id].append(speaker)
    themes = {theme.id: theme for theme in db.session.scalars(select(Theme))}
    for session in sessions:
        set_committed_value(session, "speakers", speakers.get(session.id, []))
        set_committed_value(session, "theme", themes.get(session.theme_id))
    return sessions


def get_session(event: Event, session_id: int) -> AgendaSession:
    """A session loaded through its event, so a URL cannot pair one event with another's."""
    session = db.session.scalar(
        select(AgendaSession).where(
            AgendaSession.id == session_id, AgendaSession.event_id == event.id
        )
    )
    if session is None:
        raise NotFound(str(_l("No such session.")))
    return session


# Checking input --------------------------------------------------------------------


def _text(errors, name, value, limit, required=False):
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(str(_l("This field is required.")))
    elif name != "description" and not is_one_line(value):
        errors.setdefault(name, []).append(str(ONE_LINE_MESSAGE))
    elif len(value) > limit:
        errors.setdefault(name, []).append(str(_l("Keep this under %(n)d characters.", n=limit)))
    return value or None


def clean_session(event: Event, data: SessionInput) -> dict:
    """Checked values for a session of `event`; InvalidInput with per-field messages."""
    errors: dict[str, list[str]] = {}
    values: dict = {
        "title": _text(errors, "title", data.title, 200, required=True),
        "description": _text(errors, "description", data.description, 20_000) or "",
        "room": _text(errors, "room", data.room, 120),
        "track": _text(errors, "track", data.track, 120),
        "interpretation": bool(data.interpretation),
    }
    try:
        values["kind"] = SessionKind(data.kind)
    except ValueError:
        errors["kind"] = [str(_l("Choose a kind of session."))]
    url = _text(errors, "online_url", data.online_url, 500)
    if url and not url.lower().startswith(("https://", "http://")):
        errors.setdefault("online_url", []).append(
            str(_l("Give a web address starting with https://."))
        )
    values["online_url"] = url
    try:
        values["languages"] = check_languages(data.languages)
    except InvalidInput as error:
        errors.update(error.fields)
    if data.theme_id is not None and db.session.get(Theme, data.theme_id) is None:
        errors["theme_id"] = [str(_l("Unknown theme."))]
    values["theme_id"] = data.theme_id
    if data.capacity is not None and not 1 <= data.capacity <= 1_000_000:
        errors["capacity"] = [str(_l("Give a number of seats from 1 to 1,000,000."))]
    values["capacity"] = data.capacity
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is None:
            errors.setdefault(name, []).append(str(_l("This field is required.")))
            continue
        try:
            values[name] = to_utc(value, event.timezone, name)
        except InvalidInput as error:
            errors.update(error.fields)
    if (
        values.get("starts_at")
        and values.get("ends_at")
        and (values["ends_at"] <= values["starts_at"])
    ):
        errors.setdefault("ends_at", []).append(str(_l("The session must end after it starts.")))
    values["speakers"] = _clean_speakers(data.speakers, errors)
    if data.language is not None or data.translations is not None:
        language = data.language or "en"
        try:
            values["translations"] = content.clean_translations(
                language, data.translations, {"title": 200, "description": 20_000}
            )
            values["language"] = language
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    return values


def _clean_speakers(speakers: list[SpeakerInput], errors) -> list[Speaker]:
    if len(speakers) > MAX_SPEAKERS:
        errors["speakers"] = [str(_l("At most %(n)d speakers.", n=MAX_SPEAKERS))]
        return []
    cleaned = []
    for position, data in enumerate(speakers):
        key = f"speakers.{position}"
        name = (data.name or "").strip()
        if not name or len(name) > 200:
            errors[f"{key}.name"] = [str(_l("Give the speaker's name (at most 200 characters)."))]
        sector = None
        if data.sector:
            try:
                sector = Sector(data.sector)
            except ValueError:
                errors[f"{key}.sector"] = [str(_l("Unknown sector."))]
        if data.user_id is not None and db.session.get(User, data.user_id) is None:
            errors[f"{key}.user_id"] = [str(_l("No such person."))]
        affiliation = (data.affiliation or "").strip()[:200] or None
        gender = (data.gender or "").strip()[:100] or None
        cleaned.append(
            Speaker(
                name=name[:200],
                affiliation=affiliation,
                sector=sector,
                gender=gender,
                user_id=data.user_id,
                position=position,
            )
        )
    return cleaned


# Changing --------------------------------------------------------------------------


def set_values(session: AgendaSession, values: dict) -> bool:
    """Set the values; True when something a calendar shows has changed."""
    changed = False
    for name, value in values.items():
        if name == "speakers":

            def fields(speaker):
                return (
                    speaker.name,
                    speaker.affiliation,
                    speaker.sector,
                    speaker.gender,
                    speaker.user_id,
                    speaker.position,
                )

            # Rewrite the rows only when a speaker changed; calendars show names only.
            if [fields(s) for s in session.speakers] != [fields(s) for s in value]:
                shown = [(s.name, s.affiliation) for s in session.speakers]
                session.speakers = value
                changed = changed or shown != [(s.name, s.affiliation) for s in value]
        elif getattr(session, name) != value:
            setattr(session, name, value)
            changed = True
    return changed


def touch(event: Event) -> None:
    """Mark the event changed: its feed's version (and ETag) is the event's updated_at."""
    event.updated_at = utcnow()


def create_session(actor: Actor, event: Event, data: SessionInput) -> AgendaSession:
    policy.require_manage_event(actor, event)
    values = clean_session(event, data)
    session = AgendaSession(event=event)
    set_values(session, values)
    db.session.add(session)
    touch(event)
    db.session.flush()
    return session


def update_session(actor: Actor, session: AgendaSession, data: SessionInput) -> AgendaSession:
    policy.require_manage_event(actor, session.event)
    values = clean_session(session.event, data)
    if set_values(session, values):
        session.sequence += 1
        touch(session.event)
    db.session.flush()
    return session


def cancel_session(actor: Actor, session: AgendaSession) -> None:
    """Cancel a session; it stays on the agenda and in calendars, marked cancelled."""
    policy.require_manage_event(actor, session.event)
    if session.cancelled_at is None:
        session.cancelled_at = utcnow()
        session.sequence += 1
        touch(session.event)


def delete_session(actor: Actor, session: AgendaSession) -> None:
    """Delete a session of an event never published; published ones are cancelled instead,
    so calendars that already show them learn of the change."""
    policy.require_manage_event(actor, session.event)
    if session.event.status is EventStatus.DRAFT:
        touch(session.event)
        db.session.delete(session)
    else:
        cancel_session(actor, session)


# Warnings --------------------------------------------------------------------------


def _speaker_key(speaker: Speaker) -> str:
    if speaker.user_id is not None:
        return f"user:{speaker.user_id}"
    return "name:" + re.sub(r"\s+", " ", speaker.name).strip().casefold()


def agenda_warnings(
    event: Event, sessions: list[AgendaSession] | None = None
) -> list[AgendaWarning]:
    """What organisers should look at: clashes, sessions off the event's dates, unbalanced
    panels. Computed from the sessions in memory (no query per session)."""
    sessions = [
        s
        for s in (sessions if sessions is not None else sessions_of(event))
        if s.cancelled_at is None
    ]
    warnings: list[AgendaWarning] = []
    for session in sessions:
        if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
            warnings.append(
                AgendaWarning(
                    "outside_event",
                    str(_l("“%(title)s” is outside the event's dates.", title=session.title)),
                    [session.id],
                )
            )
        warnings.extend(_panel_warnings(session))
    for first, second in _overlapping(sessions):
        shared = {_speaker_key(s) for s in first.speakers} & {
            _speaker_key(s) for s in second.speakers
        }
        for key in sorted(shared):
            name = next(s.name for s in first.speakers if _speaker_key(s) == key)
            warnings.append(
                AgendaWarning(
                    "speaker_clash",
                    str(
                        _l(
                            "%(name)s speaks in “%(a)s” and “%(b)s” at the same time.",
                            name=name,
                            a=first.title,
                            b=second.title,
                        )
                    ),
                    [first.id, second.id],
                )
            )
        if (
            first.room
            and second.room
            and first.room.strip().casefold() == (second.room.strip().casefold())
        ):
            warnings.append(
                AgendaWarning(
                    "room_clash",
                    str(
                        _l(
                            "Room %(room)s holds “%(a)s” and “%(b)s” at the same time.",
                            room=first.room,
                            a=first.title,
                            b=second.title,
                        )
                    ),
                    [first.id, second.id],
                )
            )
    return warnings


def _overlapping(sessions: list[AgendaSession]):
    """Pairs of sessions that overlap in time, by a sweep over their start times."""
    active: list[AgendaSession] = []
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        active = [other for other in active if other.ends_at > session.starts_at]
        for other in active:
            yield other, session
        active.append(session)


def _panel_warnings(session: AgendaSession) -> list[AgendaWarning]:
    speakers = session.speakers
    if session.kind is not SessionKind.PANEL or len(speakers) < 2:
        return []
    warnings = []
    if all(s.gender and s.gender.strip().casefold() in MEN for s in speakers):
        warnings.append(
            AgendaWarning(
                "all_male_panel",
                str(_l("The panel “%(title)s” has only men as speakers.", title=session.title)),
                [session.id],
            )
        )
    sectors = {s.sector for s in speakers}
    if None not in sectors and len(sectors) == 1:
        warnings.append(
            AgendaWarning(
                "single_sector_panel",
                str(
                    _l(
                        "Every speaker of the panel “%(title)s” is from the same sector.",
                        title=session.title,
                    )
                ),
                [session.id],
            )
        )
    return warnings


def warnings_by_session(warnings: list[AgendaWarning]) -> dict[int, list[AgendaWarning]]:
    grouped: dict[int, list[AgendaWarning]] = defaultdict(list)
    for warning in warnings:
        for session_id in warning.session_ids:
            grouped[session_id].append(warning)
    return grouped


# Personal agendas ------------------------------------------------------------------


def star(actor: Actor, session: AgendaSession) -> None:
    policy.require_keep_agenda(actor)
    exists = db.session.scalar(
        select(Star.id).where(Star.user_id == actor.id, Star.session_id == session.id)
    )
    if exists is None:
        db.session.add(Star(user_id=actor.id, session_id=session.id))


def unstar(actor: Actor, session: AgendaSession) -> None:
    star_row = db.session.scalar(
        select(Star).where(
            Star.user_id == getattr(actor, "id", None), Star.session_id == session.id
        )
    )
    if star_row is not None:
        db.session.delete(star_row)


def starred_ids(user: Actor | None, event: Event) -> set[int]:
    if not policy.can_keep_agenda(user):
        return set()
    return set(
        db.session.scalars(
            select(Star.session_id)
            .join(AgendaSession)
            .where(Star.user_id == user.id, AgendaSession.event_id == event.id)
        )
    )


@dataclass
class AgendaItem:
    starts_at: datetime
    ends_at: datetime
    title: str
    event: Event
    session: AgendaSession | None = None
    registration: Registration | None = None
    overlaps: list[str] = field(default_factory=list)


def personal_agenda(user: User) -> list[AgendaItem]:
    """Starred sessions and events registered for, across events, in one timeline;
    each starred session lists the other starred sessions it overlaps."""
    sessions = db.session.scalars(
        select(AgendaSession)
        .join(Star)
        .where(Star.user_id == user.id)
        .options(selectinload(AgendaSession.event), selectinload(AgendaSession.speakers))
    ).all()
    registrations = db.session.scalars(
        select(Registration)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(
                [
                    RegistrationStatus.CONFIRMED,
                    RegistrationStatus.WAITLISTED,
                    RegistrationStatus.PENDING,
                ]
            ),
        )
        .options(selectinload(Registration.event))
    ).all()
    # A starred session of an event gone back to draft is hidden, like the event itself.
    sessions = [s for s in sessions if s.event.status is not EventStatus.DRAFT]
    items = [AgendaItem(s.starts_at, s.ends_at, s.title, s.event, session=s) for s in sessions]
    items += [
        AgendaItem(r.event.starts_at, r.event.ends_at, r.event.title, r.event, registration=r)
        for r in registrations
    ]
    live = [s for s in sessions if s.cancelled_at is None]
    by_id = {item.session.id: item for item in items if item.session is not None}
    for first, second in _overlapping(live):
        by_id[first.id].overlaps.append(second.title)
        by_id[second.id].overlaps.append(first.title)
    return sorted(items, key=lambda item: (item.starts_at, item.session is not None))


# Pages: filtering, days, uploads ---------------------------------------------------


@dataclass
class AgendaFilters:
    track: str | None = None
    theme_id: int | None = None
    language: str | None = None
    kind: str | None = None


def filter_sessions(sessions: list[AgendaSession], filters: AgendaFilters) -> list[AgendaSession]:
    """The sessions that match every filter given; in memory, so no query is made."""
    return [
        s
        for s in sessions
        if (filters.track is None or s.track == filters.track)
        and (filters.theme_id is None or s.theme_id == filters.theme_id)
        and (filters.language is None or filters.language in (s.languages or []))
        and (filters.kind is None or s.kind.value == filters.kind)
    ]


@dataclass
class FilterOptions:
    tracks: list[str]
    themes: list[Theme]
    languages: list[str]
    kinds: list[SessionKind]


def filter_options(sessions: list[AgendaSession]) -> FilterOptions:
    """The tracks, themes, languages and kinds the sessions use, to filter by them."""
    themes = {s.theme.id: s.theme for s in sessions if s.theme is not None}
    kinds = {s.kind for s in sessions}
    return FilterOptions(
        tracks=sorted({s.track for s in sessions if s.track}, key=str.casefold),
        themes=sorted(themes.values(), key=lambda t: (t.position, t.slug)),
        languages=sorted({code for s in sessions for code in s.languages or []}),
        kinds=[kind for kind in SessionKind if kind in kinds],
    )


def sessions_by_day(
    sessions: list[AgendaSession], timezone: str
) -> list[tuple[date, list[AgendaSession]]]:
    """Sessions grouped by the day they start on in `timezone`, days and sessions in order."""
    zone = ZoneInfo(timezone)
    days: dict[date, list[AgendaSession]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        days[session.starts_at.astimezone(zone).date()].append(session)
    return sorted(days.items())
