"""/api/v1/events/{id}/sessions: an event's agenda; organisers edit it and see warnings.

Every rule (times, clashes, who sees the join link) is in convene.services.agenda; this
module only translates JSON to service calls and back. Times are ISO 8601 with the offset
of the event's timezone; a time given without an offset is read as wall time there.
"""

from zoneinfo import ZoneInfo

import marshmallow as ma

from ..caching import cached_page
from .. import policy
from ..extensions import db
from ..models import AgendaSession, Event, Sector, SessionKind
from ..services import agenda, events
from .common import (
    ID,
    ID_RANGE,
    DateTime,
    PageArgs,
    Text,
    TranslatedIn,
    TranslatedOut,
    bearer_user,
    collection_schema,
    theme_ids_for,
    token_required,
    translated,
    translation_input,
)
from .doc import api_error, error_documenter
from .events import viewer
from .routing import Blueprint

blp = Blueprint(
    "api_sessions", __name__, url_prefix="/api/v1/events", description="Agenda sessions"
)

KINDS = [k.value for k in SessionKind]
SECTORS = [s.value for s in Sector]
WARNINGS = ["speaker_clash", "room_clash", "outside_event", "all_male_panel", "single_sector_panel"]
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


class WarningOut(ma.Schema):
    code = ma.fields.String(required=True, metadata={"enum": WARNINGS})
    message = ma.fields.String(required=True)
    session_ids = ma.fields.List(ma.fields.Integer(), required=True)


class SpeakerOut(ma.Schema):
    name = ma.fields.String(required=True)
    affiliation = ma.fields.String(allow_none=True, required=True)
    sector = ma.fields.String(allow_none=True, required=True, metadata={"enum": [*SECTORS, None]})


class SessionOut(TranslatedOut):
    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": KINDS})
    starts_at = ma.fields.DateTime(required=True)
    ends_at = ma.fields.DateTime(required=True)
    timezone = ma.fields.String(
        required=True, metadata={"description": "the event's", "example": "Europe/Paris"}
    )
    room = ma.fields.String(allow_none=True, required=True)
    online_url = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the join link: null except for confirmed participants and organisers"
        },
    )
    track = ma.fields.String(allow_none=True, required=True)
    theme = ma.fields.String(allow_none=True, required=True, metadata={"description": "a slug"})
    languages = ma.fields.List(ma.fields.String(), required=True)
    interpretation = ma.fields.Boolean(required=True)
    capacity = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "null: no limit"}
    )
    cancelled = ma.fields.Boolean(
        required=True, metadata={"description": "still on the agenda, marked cancelled"}
    )
    sequence = ma.fields.Integer(
        required=True, metadata={"description": "raised by every change calendars show"}
    )
    speakers = ma.fields.List(ma.fields.Nested(SpeakerOut), required=True)
    warnings = ma.fields.List(
        ma.fields.Nested(WarningOut),
        metadata={"description": "organisers only: what to look at in this session"},
    )


class SessionCollection(collection_schema(SessionOut, "SessionPage")):
    warnings = ma.fields.List(
        ma.fields.Nested(WarningOut),
        metadata={"description": "organisers only: the whole agenda's warnings"},
    )


class SpeakerIn(ma.Schema):
    name = Text(required=True)
    affiliation = Text(allow_none=True)
    sector = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SECTORS))
    gender = Text(
        allow_none=True,
        metadata={
            "description": "self-described, with the speaker's consent; used only for the "
            "panel-balance warnings and never shown"
        },
    )
    user_id = ma.fields.Integer(
        allow_none=True, validate=ID_RANGE, metadata={"description": "a registered person"}
    )


class SessionIn(TranslatedIn):
    title = Text()
    description = Text(allow_none=True)
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    starts_at = DateTime(
        metadata={
            "example": "2031-03-30T09:00:00",
            "description": "without an offset: wall time in the event's timezone",
        }
    )
    ends_at = DateTime(metadata={"example": "2031-03-30T10:30:00"})
    room = Text(allow_none=True)
    online_url = Text(allow_none=True, metadata={"example": "https://meet.example.org/panel"})
    track = Text(allow_none=True)
    theme = Text(allow_none=True, metadata={"description": "a theme slug"})
    languages = ma.fields.List(Text(), allow_none=True, metadata={"example": ["en", "fr"]})
    interpretation = ma.fields.Boolean()
    capacity = ma.fields.Integer(allow_none=True, metadata={"description": "null: no limit"})
    speakers = ma.fields.List(
        ma.fields.Nested(SpeakerIn),
        allow_none=True,
        metadata={"description": "replaces all speakers, in this order"},
    )


class SessionCreate(SessionIn):
    title = Text(required=True)
    starts_at = DateTime(
        required=True,
        metadata={
            "example": "2031-03-30T09:00:00",
            "description": "without an offset: wall time in the event's timezone",
        },
    )
    ends_at = DateTime(required=True, metadata={"example": "2031-03-30T10:30:00"})


class SessionArgs(PageArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    track = Text()
    theme = Text(metadata={"description": "a theme slug"})
    language = Text(metadata={"example": "fr"})


def session_out(
    session: AgendaSession, event: Event, show_link: bool, warnings: list | None = None
) -> dict:
    """The JSON of a session; `warnings` (organisers only) is left out when None."""
    zone = ZoneInfo(event.timezone)
    body = {
        "id": session.id,
        "event_id": session.event_id,
        **translated(session),
        "kind": session.kind.value,
        "starts_at": session.starts_at.astimezone(zone),
        "ends_at": session.ends_at.astimezone(zone),
        "timezone": event.timezone,
        "room": session.room,
        "online_url": session.online_url if show_link else None,
        "track": session.track,
        "theme": session.theme.slug if session.theme else None,
        "languages": list(session.languages or []),
        "interpretation": session.interpretation,
        "capacity": session.capacity,
        "cancelled": session.cancelled_at is not None,
        "sequence": session.sequence,
        # A speaker's gender is for the warnings only: never in an answer.
        "speakers": [
            {
                "name": s.name,
                "affiliation": s.affiliation,
                "sector": s.sector.value if s.sector else None,
            }
            for s in session.speakers
        ],
    }
    if warnings is not None:
        body["warnings"] = warnings
    return body


def _one(user, event: Event, session: AgendaSession) -> dict:
    """One session as `user` may see it; organisers get its warnings among the agenda's."""
    warnings = None
    if policy.can_manage_event(user, event):
        everything = agenda.agenda_warnings(event, agenda.sessions_of(event))
        warnings = agenda.warnings_by_session(everything).get(session.id, [])
    return session_out(session, event, policy.can_see_online_link(user, event), warnings)


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
        base.theme_id = theme_ids_for([data["theme"]], "theme")[0] if data["theme"] else None
    if "speakers" in data:
        base.speakers = [agenda.SpeakerInput(**s) for s in data["speakers"] or []]
    base.language, base.translations = translation_input(data, session)
    return base


def _page(items: list, page: int, per_page: int) -> dict:
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "total": len(items),
        "page": page,
        "per_page": per_page,
    }


ERRORS = {
    401: api_error(401, "An Authorization header whose token is unknown or revoked"),
    403: api_error(403, "Not allowed for this person", "Only the event's organisers can do this."),
    404: api_error(
        404, "No such event or session, or a draft this person may not see", "No such session."
    ),
    422: api_error(422, "Invalid fields"),
}


_doc = error_documenter(blp, ERRORS)


SESSIONS = f"/<{ID}:event_id>/sessions"
ONE = f"{SESSIONS}/<{ID}:session_id>"


@blp.route(SESSIONS)
@cached_page
@blp.arguments(SessionArgs, location="query")
@blp.response(200, SessionCollection)
@_doc(401, 404, 422)
def list_sessions(args, event_id):
    """The event's sessions in time order, cancelled ones included, with filters.

    No token is needed, except for a draft event (its organisers only). Organisers also
    get `warnings`: the whole agenda's, and each session's own.
    """
    user = viewer()
    event = events.get_event_by_id(user, event_id)
    theme = theme_ids_for([args["theme"]], "theme")[0] if args.get("theme") else None
    sessions = agenda.sessions_of(event)
    filters = agenda.AgendaFilters(args.get("track"), theme, args.get("language"), args.get("kind"))
    page = _page(agenda.filter_sessions(sessions, filters), args["page"], args["per_page"])
    show_link = policy.can_see_online_link(user, event)
    by_session = None
    if policy.can_manage_event(user, event):
        page["warnings"] = agenda.agenda_warnings(event, sessions)
        by_session = agenda.warnings_by_session(page["warnings"])
    page["items"] = [
        session_out(s, event, show_link, None if by_session is None else by_session.get(s.id, []))
        for s in page["items"]
    ]
    return page


@blp.route(SESSIONS, methods=["POST"])
@token_required
@blp.arguments(SessionCreate)
@blp.response(201, SessionOut)
@_doc(403, 404, 422)
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
    return _one(user, event, session)


@blp.route(ONE)
@cached_page
@blp.response(200, SessionOut)
@_doc(401, 404)
def get_session(event_id, session_id):
    """One session of the event; `online_url` only for confirmed participants and organisers."""
    user = viewer()
    event = events.get_event_by_id(user, event_id)
    return _one(user, event, agenda.get_session(event, session_id))


@blp.route(ONE, methods=["PATCH"])
@token_required
@blp.arguments(SessionIn)
@blp.response(200, SessionOut)
@_doc(403, 404, 422)
def update_session(data, event_id, session_id):
    """Change a session (organisers); fields not sent are kept (times keep their instant).

    `speakers`, when sent, replaces them all. Warnings never prevent the save.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    session = agenda.get_session(event, session_id)
    agenda.update_session(user, session, _input(data, session))
    db.session.commit()
    return _one(user, event, session)


@blp.route(ONE, methods=["DELETE"])
@token_required
@blp.response(204)
@_doc(403, 404)
def delete_session(event_id, session_id):
    """Remove a session (organisers).

    A session of a published event is cancelled instead, so that calendars already
    showing it learn of the change; a draft event's session is deleted.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    agenda.delete_session(user, agenda.get_session(event, session_id))
    db.session.commit()
