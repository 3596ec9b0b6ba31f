"""What /api/v1/events/{id}/registrations and /api/v1/registrations/{id} read and answer."""

import marshmallow as ma
from flask_babel import gettext as _

from ...models import AgeBand, AttendanceMode, Awaiting, Registration, RegistrationStatus, Sector
from .base import ObjectOut, PageArgs, collection_schema
from .fields import EVENT_ZONE, ID_RANGE, Text, ZonedDateTime

STATUSES = [s.value for s in RegistrationStatus]
SECTORS = [s.value for s in Sector]
CONSENT_DOC = (
    "the four fields below are kept only with this consent, and only ever shown in aggregate"
)


class RegistrationOut(ObjectOut):
    """Times carry the offset of the event's timezone."""

    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, attribute="user.name")
    email = ma.fields.String(required=True, attribute="user.email")
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
    created_at = ZonedDateTime(EVENT_ZONE, required=True)
    confirmed_at = ZonedDateTime(EVENT_ZONE, allow_none=True, required=True)
    cancelled_at = ZonedDateTime(EVENT_ZONE, allow_none=True, required=True)
    checked_in_at = ZonedDateTime(EVENT_ZONE, allow_none=True, required=True)
    attendance_mode = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"enum": [*(m.value for m in AttendanceMode), None]},
    )

    def get_answers(self, registration: Registration) -> dict:
        return dict(registration.answers or {})


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
    inclusion_consent = ma.fields.Boolean(load_default=False, metadata={"description": CONSENT_DOC})
    gender = Text(allow_none=True, metadata={"description": "self-described"})
    age_band = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf([a.value for a in AgeBand])
    )
    indigenous = ma.fields.Boolean(allow_none=True)
    disability = ma.fields.Boolean(allow_none=True)


class RegistrationArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    sector = ma.fields.String(validate=ma.validate.OneOf(SECTORS))
