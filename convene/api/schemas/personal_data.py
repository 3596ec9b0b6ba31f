"""What /api/v1/me/data answers and DELETE /api/v1/me reads."""

import marshmallow as ma

from ...services import personal_data
from .fields import Text

SECTION = ma.fields.List(ma.fields.Dict(), required=True)


class PersonalDataOut(ma.Schema):
    format = ma.fields.String(required=True, metadata={"example": personal_data.FORMAT})
    exported_at = ma.fields.String(
        required=True, metadata={"description": "when, in UTC (ISO 8601)"}
    )
    account = ma.fields.Dict(
        required=True,
        metadata={
            "description": "name, e-mail, timezone, locale, roles, dates; whether a password "
            "and a private calendar feed exist (never the password or the feed's address)"
        },
    )
    email_links = SECTION
    api_tokens = SECTION
    focal_points = SECTION
    organiser_of = SECTION
    registrations = SECTION
    delegations_registered = SECTION
    starred_sessions = SECTION
    speaking = SECTION
    proposals_created = SECTION
    cocreation_waivers = SECTION
    cohost_responses = SECTION
    proposal_changes = SECTION
    reviews = SECTION
    commitments_recorded = SECTION
    progress_updates = SECTION
    assessments = SECTION


class DeleteIn(ma.Schema):
    password = Text(
        required=True,
        load_only=True,
        validate=ma.validate.Length(max=200),
        metadata={
            "description": "your current password, to make sure it is you",
            "example": "my current password",
        },
    )
