"""/api/v1/events/{id}/registrations and /api/v1/registrations/{id}.

Every rule (seats, the waiting list, who may see what) is in
convene.services.registration; this module only translates JSON to service calls and back.
"""

from flask import Response, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db, limiter
from ..models import Event, Registration
from ..services import InvalidInput, events, participants
from ..services import registration as service
from .common import ID, bearer_user, dumped, paginate, viewer
from .doc import api_error
from .routing import Blueprint
from .schemas.registrations import (
    ConfirmationSent,
    RegistrationArgs,
    RegistrationCollection,
    RegistrationIn,
    RegistrationOut,
)

blp = Blueprint(
    "api_registrations", __name__, url_prefix="/api/v1", description="Registrations for events"
)


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


def _register_self(user, event: Event, data: dict) -> Response:
    """The token owner registered: 201 when new, 200 when they were registered already."""
    if data.get("email") and data["email"].strip().lower() != user.email.lower():
        message = str(_l("With a token you register yourself: leave out `email`."))
        raise InvalidInput(message, {"email": [message]})
    registration, new = service.register(event, _input(data), actor=user)
    answer = dumped(RegistrationOut, registration, 201 if new else 200)
    db.session.commit()
    return answer


def _register_by_email(event: Event, data: dict) -> Response:
    """Someone without a token registered, to confirm from the e-mail: always 202."""
    service.register_or_remind(event, _input(data), locale=str(get_locale()))
    db.session.commit()  # the answer tells a stranger nothing: the e-mail does
    message = _(
        "If the address is right, an e-mail is on its way to it: follow its link to "
        "confirm the registration."
    )
    response = jsonify({"message": message})
    response.status_code = 202
    return response


blp.errors = {
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
@blp.documented(401, 404, 409, 422, 429)
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
        return _register_self(user, event, data)
    return _register_by_email(event, data)


@blp.route(f"/events/<{ID}:event_id>/registrations")
@blp.operation(
    token=True, query=RegistrationArgs, answer=RegistrationCollection, errors=(403, 404, 422)
)
def list_registrations(args, event_id):
    """The event's registrations, oldest first, for its organisers only.

    Filter by `status` or `sector`.
    """
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    query = registrations_query(user, event, args.get("status"), args.get("sector"))
    return paginate(query, args["page"], args["per_page"])


@blp.route(f"/registrations/<{ID}:registration_id>")
@blp.operation(token=True, answer=RegistrationOut, errors=(404,))
def get_registration(registration_id):
    """One registration, for the person registered or the event's organisers.

    Anyone else gets 404, as for an id that does not exist.
    """
    return service.get_registration(bearer_user(), registration_id)


@blp.route(f"/registrations/<{ID}:registration_id>", methods=["DELETE"])
@blp.operation(token=True, answer=RegistrationOut, errors=(404,))
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
    return registration
