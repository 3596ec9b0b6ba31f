"""/api/v1/events/{id}/registrations and /api/v1/registrations/{id}.

Every rule (seats, the waiting list, who may see what) is in
convene.services.registration; this module only translates JSON to service calls and back.
"""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import jsonify
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db, limiter
from ..models import (
    AgeBand,
    AttendanceMode,
    Awaiting,
    Event,
    Registration,
    RegistrationStatus,
    Sector,
)
from ..services import InvalidInput, events, participants
from ..services import registration as service
from .common import (
    ID,
    ID_RANGE,
    PageArgs,
    Text,
    bearer_user,
    collection_schema,
    paginate,
    token_required,
)
from .doc import api_error, error_documenter
from .events import viewer
from .routing import Blueprint

blp = Blueprint(
    "api_registrations", __name__, url_prefix="/api/v1", description="Registrations for events"
)

STATUSES = [s.value for s in RegistrationStatus]
SECTORS = [s.value for s in Sector]


class RegistrationOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    awaiting = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "enum": [*(a.value for a in Awaiting), None],
            "description": "why a pending registration waits: the person's e-mail "
            "confirmation or the organisers' approval",
        },
    )
    waitlist_position = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "1 is next; only when waitlisted"}
    )
    sector = ma.fields.String(required=True, metadata={"enum": SECTORS})
    member_id = ma.fields.Integer(allow_none=True, required=True)
    organisation = ma.fields.String(allow_none=True, required=True)
    accessibility_needs = ma.fields.String(allow_none=True, required=True)
    answers = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        required=True,
        metadata={"description": "question id → answer"},
    )
    show_in_public_list = ma.fields.Boolean(required=True)
    created_at = ma.fields.DateTime(required=True)
    confirmed_at = ma.fields.DateTime(allow_none=True, required=True)
    cancelled_at = ma.fields.DateTime(allow_none=True, required=True)
    checked_in_at = ma.fields.DateTime(allow_none=True, required=True)
    attendance_mode = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"enum": [*(m.value for m in AttendanceMode), None]},
    )


RegistrationCollection = collection_schema(RegistrationOut, "RegistrationCollection")


class ConfirmationSent(ma.Schema):
    message = ma.fields.String(required=True)


class Answer(ma.fields.Raw):
    """Text, a tick (true/false), a list of chosen options, or null."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = Text()
        if isinstance(value, str):
            return text.deserialize(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [text.deserialize(v) for v in value]
        if value is None or isinstance(value, bool):
            return value
        raise ma.ValidationError(_("Give text, true or false, or a list of options."))


class RegistrationIn(ma.Schema):
    name = Text(metadata={"description": "required without a token; ignored with one"})
    email = Text(
        validate=ma.validate.Length(max=254),
        metadata={"description": "required without a token; with one, the account's own"},
    )
    sector = ma.fields.String(required=True, validate=ma.validate.OneOf(SECTORS))
    member_id = ma.fields.Integer(allow_none=True, validate=ID_RANGE)
    organisation = Text(allow_none=True)
    accessibility_needs = Text(allow_none=True)
    answers = ma.fields.Dict(
        keys=Text(),
        values=Answer(allow_none=True),
        load_default=dict,
        metadata={"description": "question id → answer (see the event's `questions`)"},
    )
    show_in_public_list = ma.fields.Boolean(load_default=False)
    inclusion_consent = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "the four fields below are kept only with this consent, "
            "and only ever shown in aggregate"
        },
    )
    gender = Text(allow_none=True, metadata={"description": "self-described"})
    age_band = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf([a.value for a in AgeBand])
    )
    indigenous = ma.fields.Boolean(allow_none=True)
    disability = ma.fields.Boolean(allow_none=True)


class RegistrationArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    sector = ma.fields.String(validate=ma.validate.OneOf(SECTORS))


def registration_out(registration: Registration) -> dict:
    """The JSON of a registration; times carry the offset of the event's timezone."""
    zone = ZoneInfo(registration.event.timezone)

    def local(value):
        return None if value is None else value.astimezone(zone)

    person = registration.user
    return {
        "id": registration.id,
        "event_id": registration.event_id,
        "user_id": registration.user_id,
        "name": person.name,
        "email": person.email,
        "status": registration.status.value,
        "awaiting": registration.awaiting.value if registration.awaiting else None,
        "waitlist_position": registration.waitlist_position,
        "sector": registration.sector.value,
        "member_id": registration.member_id,
        "organisation": registration.organisation,
        "accessibility_needs": registration.accessibility_needs,
        "answers": dict(registration.answers or {}),
        "show_in_public_list": registration.show_in_public_list,
        "created_at": local(registration.created_at),
        "confirmed_at": local(registration.confirmed_at),
        "cancelled_at": local(registration.cancelled_at),
        "checked_in_at": local(registration.checked_in_at),
        "attendance_mode": (
            registration.attendance_mode.value if registration.attendance_mode else None
        ),
    }


def registrations_query(actor, event: Event, status: str | None, sector: str | None):
    """The event's registrations for its organisers (PermissionDenied for anyone else),
    oldest first, with their people loaded in one more query whatever the page size."""
    filters = participants.ParticipantFilters(status=status, sector=sector)
    query = participants.matching(actor, event, filters)
    return query.options(selectinload(Registration.user)).order_by(Registration.id)


def _input(data: dict) -> service.RegistrationInput:
    fields = {k: v for k, v in data.items() if k not in ("name", "email")}
    for name in ("organisation", "accessibility_needs", "gender"):
        fields[name] = fields.get(name) or ""
    return service.RegistrationInput(
        name=data.get("name") or "", email=data.get("email") or "", **fields
    )


ERRORS = {
    401: api_error(401, "An Authorization header whose token is unknown or revoked"),
    403: api_error(403, "Not allowed for this person"),
    404: api_error(404, "No such event or registration, or not visible to this person"),
    409: api_error(
        409,
        "Registration is not open (not yet, no longer, or the event is not published), or "
        "the event is full without a waiting list",
        "Registration is closed.",
    ),
    422: api_error(422, "Invalid or missing fields, answers included"),
    429: api_error(429, "Too many registrations from this address: see Retry-After"),
}


_doc = error_documenter(blp, ERRORS)


@blp.route(f"/events/<{ID}:event_id>/registrations", methods=["POST"])
@limiter.limit("20 per minute", exempt_when=lambda: bearer_user() is not None)
@blp.arguments(RegistrationIn)
@blp.response(
    201,
    RegistrationOut,
    description="Registered (a seat, a place in line, or a request awaiting approval)",
)
@blp.alt_response(200, schema=RegistrationOut, description="Already registered: the same one")
@blp.alt_response(
    202, schema=ConfirmationSent, description="Without a token: a confirmation e-mail is sent"
)
@_doc(401, 404, 409, 422, 429)
def register(data, event_id):
    """Register for an event.

    With a token, the token's owner is registered at once: 201 with a seat, a place on
    the waiting list, or a request awaiting the organisers' approval; registering again
    answers 200 with the same registration.

    Without a token (published events only), `name` and `email` are required: the
    answer is always 202, and the person confirms their registration from the e-mail
    sent to the address, so the answer tells nothing about whether the address already
    has an account or a registration.
    """
    user = viewer()
    event = events.get_event_by_id(user, event_id)
    if user is not None:
        if data.get("email") and data["email"].strip().lower() != user.email.lower():
            message = str(_l("With a token you register yourself: leave out `email`."))
            raise InvalidInput(message, {"email": [message]})
        registration, new = service.register(event, _input(data), actor=user)
        # Read before the commit, which would expire every object and read them all again.
        answer = registration_out(registration)
        db.session.commit()
        return answer, 201 if new else 200
    service.register_or_remind(event, _input(data), locale=str(get_locale()))
    db.session.commit()  # the answer tells a stranger nothing: the e-mail does
    message = _(
        "If the address is right, an e-mail is on its way to it: follow its link to "
        "confirm the registration."
    )
    return jsonify({"message": message}), 202


@blp.route(f"/events/<{ID}:event_id>/registrations")
@token_required
@blp.arguments(RegistrationArgs, location="query")
@blp.response(200, RegistrationCollection)
@_doc(403, 404, 422)
def list_registrations(args, event_id):
    """The event's registrations, oldest first, for its organisers only.

    Filter by `status` or `sector`.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    query = registrations_query(user, event, args.get("status"), args.get("sector"))
    page = paginate(query, args["page"], args["per_page"])
    page["items"] = [registration_out(r) for r in page["items"]]
    return page


@blp.route(f"/registrations/<{ID}:registration_id>")
@token_required
@blp.response(200, RegistrationOut)
@_doc(404)
def get_registration(registration_id):
    """One registration, for the person registered or the event's organisers.

    Anyone else gets 404, as for an id that does not exist.
    """
    return registration_out(service.get_registration(bearer_user(), registration_id))


@blp.route(f"/registrations/<{ID}:registration_id>", methods=["DELETE"])
@token_required
@blp.response(200, RegistrationOut)
@_doc(404)
def cancel_registration(registration_id):
    """Cancel a registration: the person registered, or an organiser.

    The freed seat goes to the first person waiting. Cancelling again changes nothing.
    """
    user = bearer_user()
    registration = service.get_registration(user, registration_id)
    if policy.owns_registration(user, registration):
        service.cancel_own(user, registration)
    else:
        service.cancel_by_organiser(user, registration)
    db.session.commit()
    return registration_out(registration)
