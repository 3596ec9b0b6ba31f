"""/api/v1/events: find events; organisers edit, publish and cancel them.

Every rule is in convene.services.events; this module only translates JSON to service
calls and back. Times are ISO 8601 with the offset of the event's timezone; a time given
without an offset is read as wall time in the event's `timezone`.
"""

from collections.abc import Iterable
from dataclasses import fields

from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Event
from ..services import InvalidInput, events
from .common import (
    ID,
    bearer_user,
    filters_from,
    paginate,
    theme_id_for,
    theme_ids_for,
    translation_input,
    viewer,
)
from .doc import api_error
from .routing import Blueprint
from .schemas.base import reader
from .schemas.events import CancelIn, EventArgs, EventCollection, EventCreate, EventIn, EventOut

blp = Blueprint("api_events", __name__, url_prefix="/api/v1/events", description="Events")

SETTINGS = {  # API field and Event attribute → services.events.RegistrationSettings field
    "registration_opens_at": "opens_at",
    "registration_closes_at": "closes_at",
    "capacity": "capacity",
    "waitlist_enabled": "waitlist_enabled",
    "manual_approval": "manual_approval",
    "show_participants": "show_participants",
    "quotas": "quotas",
}
# What the service takes as it is from the JSON fields of the same names.
DETAILS = tuple(
    field.name
    for field in fields(events.EventInput)
    if field.name not in ("theme_ids", "language", "translations")
)


def shown(user, found: Iterable[Event]) -> list[Event]:
    """`found` for the answer to `user`, who sees the join links policy lets them see."""
    found = list(found)
    reader().links = policy.online_link_event_ids(user, found)
    return found


def _one(user, event: Event) -> Event:
    return shown(user, [event])[0]


def _listing(args: dict, user):
    """The events matching the query's filters, with what their answer shows loaded in
    one query each whatever the page size."""
    theme_id_for(args.get("theme"))  # an unknown theme is refused, not an empty list
    filters = filters_from(args, events.EventFilters)
    return events.events_query(filters, user).options(
        selectinload(Event.themes),
        selectinload(Event.hosts),
        selectinload(Event.organisers),
        selectinload(Event.questions),
        selectinload(Event.quotas),
    )


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
        _save_settings(user, event, data)
    if "questions" in data:
        events.save_questions(
            user, event, [events.QuestionInput(**q) for q in data["questions"] or []]
        )


def _save_settings(user, event: Event, data: dict) -> None:
    """The event's registration settings, with those the request sends instead."""
    values = {name: getattr(event, name) for name in SETTINGS if name != "quotas"}
    values["quotas"] = {quota.sector.value: quota.seats for quota in event.quotas}
    values.update({name: data[name] for name in SETTINGS if name in data})
    values["quotas"] = values["quotas"] or {}
    settings = events.RegistrationSettings(**{SETTINGS[k]: v for k, v in values.items()})
    try:
        events.update_registration_settings(user, event, settings)
    except InvalidInput as error:
        # The service names the settings as its dataclass does; answer in the API's names.
        names = {attribute: name for name, attribute in SETTINGS.items()}
        error.fields = {names.get(key, key): messages for key, messages in error.fields.items()}
        raise


blp.errors = {
    404: api_error(404, "No such event, or a draft this person may not see", "No such event."),
    409: api_error(409, "Not possible in the event's current state"),
}


@blp.route("")
@blp.operation(cached=True, query=EventArgs, answer=EventCollection, errors=(401, 422))
def list_events(args):
    """Published, cancelled and completed events in date order, with filters.

    No token is needed. With one, the events you organise are included in every state.
    `when` is `upcoming` (not yet ended, the default), `past` (latest first) or `all`.
    """
    user = viewer()
    page = paginate(_listing(args, user), args["page"], args["per_page"])
    page["items"] = shown(user, page["items"])
    return page


@blp.route("", methods=["POST"])
@blp.operation(token=True, body=EventCreate, answer=EventOut, status=201, errors=(403, 422))
def create_event(data):
    """Create a draft event directly (administrators; most events come from proposals).

    The hosts' focal points become its organisers. Registration settings and questions
    may be given at once.
    """
    user = bearer_user()
    event = events.create_event(user, _details(data), data.get("hosts") or [])
    _apply_settings(user, event, data)
    db.session.commit()
    return _one(user, event)


@blp.route(f"/<{ID}:event_id>")
@blp.operation(cached=True, answer=EventOut, errors=(401, 404))
def get_event(event_id):
    """One event. No token is needed, except for a draft (its organisers only).

    `online_url` is given only to confirmed participants and organisers.
    """
    user = viewer()
    return _one(user, events.get_event_by_id(user, event_id))


@blp.route(f"/<{ID}:event_id>", methods=["PATCH"])
@blp.operation(token=True, body=EventIn, answer=EventOut, errors=(403, 404, 409, 422))
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
    return _one(user, event)


def _act(user, event_id: int, action) -> Event:
    """`action(event)` on the event, committed; the event as `user` now sees it."""
    event = events.get_event_by_id(user, event_id)
    action(event)
    db.session.commit()
    return _one(user, event)


@blp.route(f"/<{ID}:event_id>/publish", methods=["POST"])
@blp.operation(token=True, answer=EventOut, errors=(403, 404, 409, 422))
def publish_event(event_id):
    """Publish a draft (organisers): everyone sees it; registration follows its settings."""
    user = bearer_user()
    return _act(user, event_id, lambda event: events.publish(user, event))


@blp.route(f"/<{ID}:event_id>/cancel", methods=["POST"])
@blp.operation(token=True, body=CancelIn, answer=EventOut, errors=(403, 404, 409, 422))
def cancel_event(data, event_id):
    """Cancel a draft or published event (organisers).

    `message` is e-mailed to everyone registered.
    """
    user = bearer_user()
    return _act(user, event_id, lambda event: events.cancel_event(user, event, data["message"]))
