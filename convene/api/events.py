"""/api/v1/events: find events; organisers edit, publish and cancel them.

Every rule is in convene.services.events; this module only translates JSON to service
calls and back. Times are ISO 8601 with the offset of the event's timezone; a time given
without an offset is read as wall time in the event's `timezone`.
"""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..caching import cached_page
from .. import policy
from ..extensions import db
from ..models import (
    Event,
    EventFormat,
    EventStatus,
    QuestionKind,
    Sector,
)
from ..services import InvalidInput, events
from ..services.registration import registration_open
from ..urls import external_url
from .common import (
    ID,
    ID_RANGE,
    TIMEZONE_DOC,
    DateTime,
    PageArgs,
    Text,
    TranslatedIn,
    TranslatedOut,
    Unauthorized,
    bearer_user,
    collection_schema,
    paginate,
    theme_ids_for,
    token_required,
    translated,
    translation_input,
)
from .doc import api_error, error_documenter
from .routing import Blueprint

blp = Blueprint("api_events", __name__, url_prefix="/api/v1/events", description="Events")

STATUSES = [s.value for s in EventStatus]
FORMATS = [f.value for f in EventFormat]
SECTORS = [s.value for s in Sector]
# Ids are 32-bit integer columns: a larger one is invalid input, not a database error.
SETTINGS = {  # API field → services.events.RegistrationSettings field
    "registration_opens_at": "opens_at",
    "registration_closes_at": "closes_at",
    "capacity": "capacity",
    "waitlist_enabled": "waitlist_enabled",
    "manual_approval": "manual_approval",
    "show_participants": "show_participants",
    "quotas": "quotas",
}
DETAILS = (
    "title",
    "description",
    "format",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "address",
    "city",
    "country",
    "online_url",
    "contact_email",
    "languages",
)


class EventHostOut(ma.Schema):
    member_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class EventQuestionOut(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "the key in `answers`"})
    kind = ma.fields.String(required=True, metadata={"enum": [k.value for k in QuestionKind]})
    label = ma.fields.String(required=True)
    options = ma.fields.List(ma.fields.String(), required=True)
    required = ma.fields.Boolean(required=True)


CONTACT_DOC = {
    "description": "a public address for questions, named as the ORGANIZER in calendars "
    "(null: the site's own sender, when it is a real address)",
    "example": "justice@example.org",
}


class EventOut(TranslatedOut):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    format = ma.fields.String(required=True, metadata={"enum": FORMATS})
    starts_at = ma.fields.DateTime(required=True)
    ends_at = ma.fields.DateTime(required=True)
    timezone = ma.fields.String(required=True, metadata={"example": "Europe/Paris"})
    venue = ma.fields.String(allow_none=True, required=True)
    address = ma.fields.String(allow_none=True, required=True)
    city = ma.fields.String(allow_none=True, required=True)
    country = ma.fields.String(allow_none=True, required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    themes = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "slugs"})
    hosts = ma.fields.List(ma.fields.Nested(EventHostOut), required=True)
    contact_email = ma.fields.String(allow_none=True, required=True, metadata=CONTACT_DOC)
    capacity = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "null: no limit"}
    )
    seats_left = ma.fields.Integer(allow_none=True, required=True)
    waitlist_enabled = ma.fields.Boolean(required=True)
    manual_approval = ma.fields.Boolean(required=True)
    show_participants = ma.fields.Boolean(required=True)
    quotas = ma.fields.Dict(
        keys=ma.fields.String(metadata={"enum": SECTORS}),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "seats reserved at most for a sector"},
    )
    registration_opens_at = ma.fields.DateTime(allow_none=True, required=True)
    registration_closes_at = ma.fields.DateTime(
        allow_none=True, required=True, metadata={"description": "null: at the event's end"}
    )
    registration_open = ma.fields.Boolean(required=True)
    registration_closed_reason = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "why not open; null when open"}
    )
    questions = ma.fields.List(ma.fields.Nested(EventQuestionOut), required=True)
    cancellation_message = ma.fields.String(allow_none=True, required=True)
    url = ma.fields.String(required=True, metadata={"description": "the event's page"})
    online_url = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "the join link: null except for confirmed participants and organisers"
        },
    )


EventCollection = collection_schema(EventOut, "EventCollection")


class EventQuestionIn(ma.Schema):
    id = ma.fields.Integer(
        allow_none=True,
        validate=ID_RANGE,
        metadata={"description": "an existing question's id keeps its answers"},
    )
    kind = ma.fields.String(
        required=True, validate=ma.validate.OneOf([k.value for k in QuestionKind])
    )
    label = Text(required=True, validate=ma.validate.Length(max=300))
    options = ma.fields.List(Text(validate=ma.validate.Length(max=200)), load_default=list)
    required = ma.fields.Boolean(load_default=False)


class EventIn(TranslatedIn):
    title = Text(validate=ma.validate.Length(max=200))
    description = Text(allow_none=True, validate=ma.validate.Length(max=20_000))
    themes = ma.fields.List(Text(), metadata={"description": "theme slugs"})
    format = ma.fields.String(validate=ma.validate.OneOf(FORMATS))
    starts_at = DateTime(metadata={"example": "2031-03-30T09:00:00"})
    ends_at = DateTime()
    timezone = Text(metadata={"example": "Europe/Paris", "description": TIMEZONE_DOC})
    venue = Text(allow_none=True)
    address = Text(allow_none=True)
    city = Text(allow_none=True)
    country = Text(allow_none=True, metadata={"example": "FR"})
    online_url = Text(allow_none=True, metadata={"example": "https://meet.example.org/forum"})
    contact_email = Text(allow_none=True, metadata=CONTACT_DOC)
    languages = ma.fields.List(Text(), metadata={"example": ["en", "fr"]})
    registration_opens_at = DateTime(allow_none=True)
    registration_closes_at = DateTime(allow_none=True)
    capacity = ma.fields.Integer(allow_none=True, metadata={"description": "null: no limit"})
    waitlist_enabled = ma.fields.Boolean()
    manual_approval = ma.fields.Boolean()
    show_participants = ma.fields.Boolean(
        metadata={"description": "show the participants who consented on the event's page"}
    )
    quotas = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(SECTORS)),
        values=ma.fields.Integer(validate=ma.validate.Range(min=0, max=1_000_000)),
        metadata={"description": "sector → seats; replaces all quotas"},
    )
    questions = ma.fields.List(
        ma.fields.Nested(EventQuestionIn),
        validate=ma.validate.Length(max=100),
        metadata={"description": "replaces all questions, in this order"},
    )


class EventCreate(EventIn):
    hosts = ma.fields.List(
        ma.fields.Integer(validate=ID_RANGE), metadata={"description": "member ids"}
    )


class EventArgs(PageArgs):
    theme = Text(metadata={"description": "a theme slug; its sub-themes match too"})
    country = Text(validate=ma.validate.Length(equal=2), metadata={"example": "FR"})
    format = ma.fields.String(validate=ma.validate.OneOf(FORMATS))
    when = ma.fields.String(
        load_default="upcoming", validate=ma.validate.OneOf(["upcoming", "past", "all"])
    )
    q = Text(
        validate=ma.validate.Length(max=200),
        metadata={"description": "part of the title, description or city"},
    )


class CancelIn(ma.Schema):
    message = Text(
        required=True,
        validate=ma.validate.Length(max=5000),
        metadata={"description": "e-mailed to everyone registered"},
    )


def viewer():
    """The token's owner; None without a token; Unauthorized for a token that is not valid."""
    user = bearer_user()
    if user is None and request.headers.get("Authorization"):
        raise Unauthorized(_("A valid bearer token is required: POST /api/v1/tokens."))
    return user


def event_out(event: Event, show_link: bool = False) -> dict:
    """The JSON of an event; its join link only with `show_link` (policy.can_see_online_link)."""
    zone = ZoneInfo(event.timezone)

    def local(value):
        return None if value is None else value.astimezone(zone)

    refusal = registration_open(event)
    return {
        "id": event.id,
        "slug": event.slug,
        **translated(event),
        "status": event.status.value,
        "format": event.format.value,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "timezone": event.timezone,
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "country": event.country,
        "languages": list(event.languages or []),
        "themes": [theme.slug for theme in event.themes],
        "hosts": [{"member_id": m.id, "name": m.name} for m in event.hosts],
        "capacity": event.capacity,
        "seats_left": event.seats_left,
        "waitlist_enabled": event.waitlist_enabled,
        "manual_approval": event.manual_approval,
        "show_participants": event.show_participants,
        "quotas": {q.sector.value: q.seats for q in event.quotas},
        "registration_opens_at": local(event.registration_opens_at),
        "registration_closes_at": local(event.registration_closes_at),
        "registration_open": refusal is None,
        "registration_closed_reason": refusal,
        "questions": [
            {
                "id": q.id,
                "kind": q.kind.value,
                "label": q.label,
                "options": list(q.options or []),
                "required": q.required,
            }
            for q in event.questions
        ],
        "cancellation_message": event.cancellation_message,
        "url": external_url("events.detail", slug=event.slug),
        "online_url": event.online_url if show_link else None,
        "contact_email": event.contact_email,
    }


def _out(event: Event, user) -> dict:
    return event_out(event, policy.can_see_online_link(user, event))


def _details(data: dict, event: Event | None = None) -> events.EventInput:
    """The service's input from JSON; on update, fields not sent keep their value."""
    base = events.EventInput()
    if event is not None:
        base = events.EventInput(
            theme_ids=[t.id for t in event.themes],
            **{name: getattr(event, name) for name in DETAILS},
        )
        base.format = event.format.value
    for name in DETAILS:
        if name in data:
            value = data[name]
            setattr(
                base, name, value if value is not None else ([] if name == "languages" else None)
            )
    if "themes" in data:
        base.theme_ids = theme_ids_for(data["themes"] or [])
    base.language, base.translations = translation_input(data, event)
    return base


def _apply_settings(user, event: Event, data: dict) -> None:
    """Registration settings and questions, when the request sends any."""
    if any(name in data for name in SETTINGS):
        settings = events.RegistrationSettings(
            opens_at=event.registration_opens_at,
            closes_at=event.registration_closes_at,
            capacity=event.capacity,
            waitlist_enabled=event.waitlist_enabled,
            manual_approval=event.manual_approval,
            show_participants=event.show_participants,
            quotas={q.sector.value: q.seats for q in event.quotas},
        )
        for name, attribute in SETTINGS.items():
            if name in data:
                setattr(settings, attribute, data[name] if name != "quotas" else data[name] or {})
        try:
            events.update_registration_settings(user, event, settings)
        except InvalidInput as error:
            # The service names the settings as its dataclass does; answer in the API's names.
            names = {attribute: name for name, attribute in SETTINGS.items()}
            error.fields = {names.get(key, key): messages for key, messages in error.fields.items()}
            raise
    if "questions" in data:
        events.save_questions(
            user, event, [events.QuestionInput(**q) for q in data["questions"] or []]
        )


ERRORS = {
    401: api_error(401, "An Authorization header whose token is unknown or revoked"),
    403: api_error(403, "Not allowed for this person"),
    404: api_error(404, "No such event, or a draft this person may not see", "No such event."),
    409: api_error(409, "Not possible in the event's current state"),
    422: api_error(422, "Invalid fields"),
}


_doc = error_documenter(blp, ERRORS)


@blp.route("")
@cached_page
@blp.arguments(EventArgs, location="query")
@blp.response(200, EventCollection)
@_doc(401, 422)
def list_events(args):
    """Published, cancelled and completed events in date order, with filters.

    No token is needed. With one, the events you organise are included in every state.
    `when` is `upcoming` (not yet ended, the default), `past` (latest first) or `all`.
    """
    user = viewer()
    if args.get("theme"):
        theme_ids_for([args["theme"]], "theme")
    filters = events.EventFilters(
        theme=args.get("theme"),
        country=args.get("country"),
        format=args.get("format"),
        when=args["when"],
        q=args.get("q"),
    )
    query = events.events_query(filters, user).options(
        selectinload(Event.themes),
        selectinload(Event.hosts),
        selectinload(Event.organisers),
        selectinload(Event.questions),
        selectinload(Event.quotas),
    )
    page = paginate(query, args["page"], args["per_page"])
    linked = policy.online_link_event_ids(user, page["items"])
    page["items"] = [event_out(e, e.id in linked) for e in page["items"]]
    return page


@blp.route("", methods=["POST"])
@token_required
@blp.arguments(EventCreate)
@blp.response(201, EventOut)
@_doc(403, 422)
def create_event(data):
    """Create a draft event directly (administrators; most events come from proposals).

    The hosts' focal points become its organisers. Registration settings and questions
    may be given at once.
    """
    user = bearer_user()
    event = events.create_event(user, _details(data), data.get("hosts") or [])
    _apply_settings(user, event, data)
    db.session.commit()
    return _out(event, user)


@blp.route(f"/<{ID}:event_id>")
@cached_page
@blp.response(200, EventOut)
@_doc(401, 404)
def get_event(event_id):
    """One event. No token is needed, except for a draft (its organisers only).

    `online_url` is given only to confirmed participants and organisers.
    """
    user = viewer()
    return _out(events.get_event_by_id(user, event_id), user)


@blp.route(f"/<{ID}:event_id>", methods=["PATCH"])
@token_required
@blp.arguments(EventIn)
@blp.response(200, EventOut)
@_doc(403, 404, 409, 422)
def update_event(data, event_id):
    """Change details, registration settings or questions (organisers).

    Fields not sent are kept (times keep their instant). A change of time or place of a
    published event is e-mailed to everyone registered.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    if any(name in data for name in (*DETAILS, "themes", "language", "translations")):
        events.update_event(user, event, _details(data, event))
    else:
        policy.require_manage_event(user, event)
    _apply_settings(user, event, data)
    db.session.commit()
    return _out(event, user)


@blp.route(f"/<{ID}:event_id>/publish", methods=["POST"])
@token_required
@blp.response(200, EventOut)
@_doc(403, 404, 409, 422)
def publish_event(event_id):
    """Publish a draft (organisers): everyone sees it; registration follows its settings."""
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    events.publish(user, event)
    db.session.commit()
    return _out(event, user)


@blp.route(f"/<{ID}:event_id>/cancel", methods=["POST"])
@token_required
@blp.arguments(CancelIn)
@blp.response(200, EventOut)
@_doc(403, 404, 409, 422)
def cancel_event(data, event_id):
    """Cancel a draft or published event (organisers).

    `message` is e-mailed to everyone registered.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    events.cancel_event(user, event, data["message"])
    db.session.commit()
    return _out(event, user)
