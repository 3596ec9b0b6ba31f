"""/api/v1/events/{id}/sessions: an event's agenda; organisers edit it and see warnings.

Every rule (times, clashes, who sees the join link) is in convene.services.agenda; this
module only translates JSON to service calls and back. Times are ISO 8601 with the offset
of the event's timezone; a time given without an offset is read as wall time there.
"""

from .. import policy
from ..extensions import db
from ..models import AgendaSession, Event
from ..services import agenda, events
from .common import (
    ID,
    bearer_user,
    filters_from,
    page_of,
    theme_id_for,
    translation_input,
    viewer,
)
from .doc import api_error
from .routing import Blueprint
from .schemas.base import reader
from .schemas.sessions import SessionArgs, SessionCollection, SessionCreate, SessionIn, SessionOut

blp = Blueprint(
    "api_sessions", __name__, url_prefix="/api/v1/events", description="Agenda sessions"
)

FIELDS = (  # sent as they are to services.agenda.SessionInput
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "room",
    "online_url",
    "track",
    "languages",
    "interpretation",
    "capacity",
)


def shown(user, event: Event, sessions: list[AgendaSession] | None = None) -> list | None:
    """Ready the answer about `event`'s agenda for `user`: the join links if policy lets
    them see them and, for those who run it, the agenda's warnings, which it returns
    (None for anyone else). `sessions`: the whole agenda, when already read."""
    seen = reader()
    seen.links = {event.id} if policy.can_see_online_link(user, event) else set()
    if not policy.can_manage_event(user, event):
        return None
    warnings = agenda.agenda_warnings(
        event, agenda.sessions_of(event) if sessions is None else sessions
    )
    seen.warnings = agenda.warnings_by_session(warnings)
    return warnings


def _input(data: dict, session: AgendaSession | None = None) -> agenda.SessionInput:
    """The service's input from JSON; on update, fields not sent keep their value."""
    base = agenda.SessionInput()
    if session is not None:
        base = agenda.SessionInput(
            **{name: getattr(session, name) for name in FIELDS},
            theme_id=session.theme_id,
            speakers=[
                agenda.SpeakerInput(
                    name=s.name,
                    affiliation=s.affiliation,
                    sector=s.sector.value if s.sector else None,
                    gender=s.gender,
                    user_id=s.user_id,
                )
                for s in session.speakers
            ],
        )
        base.kind = session.kind.value
        base.languages = list(session.languages or [])
    for name in FIELDS:
        if name in data:
            setattr(base, name, data[name])
    if "languages" in data:
        base.languages = data["languages"] or []
    if "theme" in data:
        base.theme_id = theme_id_for(data["theme"])
    if "speakers" in data:
        base.speakers = [agenda.SpeakerInput(**s) for s in data["speakers"] or []]
    base.language, base.translations = translation_input(data, session)
    return base


SESSIONS = f"/<{ID}:event_id>/sessions"
ONE = f"{SESSIONS}/<{ID}:session_id>"


blp.errors = {
    403: api_error(403, "Not allowed for this person", "Only the event's organisers can do this."),
    404: api_error(
        404, "No such event or session, or a draft this person may not see", "No such session."
    ),
}


@blp.route(SESSIONS)
@blp.operation(cached=True, query=SessionArgs, answer=SessionCollection, errors=(401, 404, 422))
def list_sessions(args, event_id):
    """The event's sessions in time order, cancelled ones included, with filters.

    No token is needed, except for a draft event (its organisers only). Organisers also
    get `warnings`: the whole agenda's, and each session's own.
    """
    user = viewer()
    event = events.get_event_by_id(user, event_id)
    filters = filters_from(args, agenda.AgendaFilters, theme_id=theme_id_for(args.get("theme")))
    sessions = agenda.sessions_of(event)
    page = page_of(agenda.filter_sessions(sessions, filters), args["page"], args["per_page"])
    if (warnings := shown(user, event, sessions)) is not None:
        page["warnings"] = warnings
    return page


@blp.route(SESSIONS, methods=["POST"])
@blp.operation(
    token=True, body=SessionCreate, answer=SessionOut, status=201, errors=(403, 404, 422)
)
def create_session(data, event_id):
    """Add a session (organisers).

    The answer's `warnings` (clashes, sessions outside the event's dates, unbalanced
    panels) never prevent the save. A session that ends before it starts, or a wall time
    that does not exist (the night the clocks move forward), is refused with 422.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    session = agenda.create_session(user, event, _input(data))
    db.session.commit()
    shown(user, event)
    return session


@blp.route(ONE)
@blp.operation(cached=True, answer=SessionOut, errors=(401, 404))
def get_session(event_id, session_id):
    """One session of the event; `online_url` only for confirmed participants and organisers."""
    user = viewer()
    event = events.get_event_by_id(user, event_id)
    session = agenda.get_session(event, session_id)
    shown(user, event)
    return session


@blp.route(ONE, methods=["PATCH"])
@blp.operation(token=True, body=SessionIn, answer=SessionOut, errors=(403, 404, 422))
def update_session(data, event_id, session_id):
    """Change a session (organisers); fields not sent are kept (times keep their instant).

    `speakers`, when sent, replaces them all. Warnings never prevent the save.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    session = agenda.get_session(event, session_id)
    agenda.update_session(user, session, _input(data, session))
    db.session.commit()
    shown(user, event)
    return session


@blp.route(ONE, methods=["DELETE"])
@blp.operation(token=True, status=204, errors=(403, 404))
def delete_session(event_id, session_id):
    """Remove a session (organisers).

    A session of a published event is cancelled instead, so that calendars already
    showing it learn of the change; a draft event's session is deleted.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    agenda.delete_session(user, agenda.get_session(event, session_id))
    db.session.commit()
