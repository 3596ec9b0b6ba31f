"""An agenda's sessions: reading them through their event, and changing them.

Every change marks the event changed (`touch`): the event feed's ETag is its updated_at.
"""

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ... import policy
from ...extensions import db
from ...models import AgendaSession, Event, EventStatus, Speaker, Theme, utcnow
from ...policy import Actor
from ..rows import of_event
from .input import SessionInput, clean_session

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
    return of_event(AgendaSession, session_id, event, _l("No such session."))


# Changing --------------------------------------------------------------------------


def _speaker_fields(speaker: Speaker) -> tuple:
    return (
        speaker.name,
        speaker.affiliation,
        speaker.sector,
        speaker.gender,
        speaker.user_id,
        speaker.position,
    )


def set_values(session: AgendaSession, values: dict) -> bool:
    """Set the values; True when something a calendar shows has changed."""
    changed = False
    for name, value in values.items():
        if name == "speakers":
            # Rewrite the rows only when a speaker changed; calendars show names only.
            old = session.speakers
            if [_speaker_fields(s) for s in old] != [_speaker_fields(s) for s in value]:
                shown = [(s.name, s.affiliation) for s in old]
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
