"""The warnings organisers see on their agenda: clashes, sessions off the event's dates,
unbalanced panels. Warnings never block a save."""

import re
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...models import AgendaSession, Event, SessionKind, Speaker
from .sessions import sessions_of

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
class AgendaWarning:
    code: str  # speaker_clash, room_clash, outside_event, all_male_panel, single_sector_panel
    message: str
    session_ids: list[int]


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
    for first, second in overlapping(sessions):
        warnings.extend(_clash_warnings(first, second))
    return warnings


def _clash_warnings(first: AgendaSession, second: AgendaSession) -> list[AgendaWarning]:
    """What two sessions at the same time share: speakers, then the room."""
    warnings = []
    shared = {_speaker_key(s) for s in first.speakers} & {_speaker_key(s) for s in second.speakers}
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


def overlapping(sessions: list[AgendaSession]):
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
