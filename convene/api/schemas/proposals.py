"""What /api/v1/proposals reads and answers."""

from operator import attrgetter

import marshmallow as ma

from ...models import (
    EventFormat,
    HostStatus,
    Objective,
    Proposal,
    ProposalStatus,
    Recommendation,
)
from ...services import proposals, reviews
from ...services.regions import REGION_NAMES
from .base import ObjectOut, PageArgs, collection_schema, slugs
from .fields import ID_RANGE, TIMEZONE_DOC, AwareDateTime, DateTime, Text, ZonedDateTime

STATUSES = [s.value for s in ProposalStatus]
FORMATS = [f.value for f in EventFormat]
RECOMMENDATIONS = [r.value for r in Recommendation]
ZONE = attrgetter("timezone")
ROUND_DOC = (
    "the review round: 1, then one more each time the proposal is submitted again after "
    "changes were requested"
)


class HostOut(ma.Schema):
    member_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, attribute="member.name")
    kind = ma.fields.String(required=True, attribute="member.kind")
    lead = ma.fields.Boolean(
        required=True, attribute="is_lead", metadata={"description": "the proposing member"}
    )
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in HostStatus]})


class TransitionOut(ma.Schema):
    from_status = ma.fields.String(allow_none=True, required=True)
    to_status = ma.fields.String(required=True)
    actor_id = ma.fields.Integer(allow_none=True, required=True)
    comment = ma.fields.String(required=True)
    at = ma.fields.DateTime(required=True, attribute="created_at")


class ReviewOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    proposal_id = ma.fields.Integer(required=True)
    reviewer_id = ma.fields.Integer(required=True)
    round = ma.fields.Integer(required=True, metadata={"description": ROUND_DOC})
    recommendation = ma.fields.String(required=True, metadata={"enum": RECOMMENDATIONS})
    relevance = ma.fields.Integer(required=True)
    ambition = ma.fields.Integer(required=True)
    co_creation = ma.fields.Integer(required=True)
    feasibility = ma.fields.Integer(required=True)
    comment = ma.fields.String(required=True)
    updated_at = ma.fields.DateTime(required=True)


class ProposalOut(ObjectOut):
    """Times carry the offset of the proposal's own timezone (UTC while it has none)."""

    id = ma.fields.Integer(required=True)
    member_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    objectives = ma.fields.String(allow_none=True, required=True)
    themes = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "slugs"})
    format = ma.fields.String(allow_none=True, required=True)
    starts_at = ZonedDateTime(ZONE, allow_none=True, required=True)
    ends_at = ZonedDateTime(ZONE, allow_none=True, required=True)
    timezone = ma.fields.String(allow_none=True, required=True)
    city = ma.fields.String(allow_none=True, required=True)
    country = ma.fields.String(allow_none=True, required=True)
    expected_size = ma.fields.Integer(allow_none=True, required=True)
    audience = ma.fields.String(required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    hosts = ma.fields.List(ma.fields.Nested(HostOut), required=True)
    cocreation_met = ma.fields.Boolean(required=True)
    cocreation_waiver_reason = ma.fields.String(allow_none=True, required=True)
    decision_comment = ma.fields.String(allow_none=True, required=True)
    review_round = ma.fields.Integer(
        required=True, metadata={"description": "the current review round; see the reviews"}
    )
    event_id = ma.fields.Integer(allow_none=True, required=True)
    missing = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        required=True,
        metadata={"description": "what must be completed before submitting, by field"},
    )
    timeline = ma.fields.List(
        ma.fields.Nested(TransitionOut), required=True, attribute="transitions"
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)

    def get_themes(self, proposal: Proposal) -> list[str]:
        return slugs(proposal.themes)

    def get_languages(self, proposal: Proposal) -> list[str]:
        return list(proposal.languages or [])

    def get_cocreation_met(self, proposal: Proposal) -> bool:
        return proposals.cocreation_met(proposal)

    def get_event_id(self, proposal: Proposal) -> int | None:
        return proposal.event.id if proposal.event else None

    def get_missing(self, proposal: Proposal) -> dict[str, list[str]]:
        return proposals.submission_problems(proposal) if proposal.is_open else {}


ProposalCollection = collection_schema(ProposalOut, "ProposalCollection")
ReviewCollection = collection_schema(ReviewOut, "ReviewCollection")


class ProposalIn(ma.Schema):
    member_id = ma.fields.Integer(
        validate=ID_RANGE, metadata={"description": "the proposing member (required to create)"}
    )
    title = Text(validate=ma.validate.Length(max=200))
    summary = Text(validate=ma.validate.Length(max=proposals.MAX_SUMMARY))
    objectives = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf([o.value for o in Objective])
    )
    themes = ma.fields.List(Text(), metadata={"description": "theme slugs"})
    format = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(FORMATS))
    starts_at = DateTime(allow_none=True)
    ends_at = DateTime(allow_none=True)
    timezone = Text(
        allow_none=True, metadata={"example": "Europe/Paris", "description": TIMEZONE_DOC}
    )
    city = Text(allow_none=True, validate=ma.validate.Length(max=120))
    country = Text(allow_none=True, metadata={"example": "FR"})
    expected_size = ma.fields.Integer(allow_none=True)
    audience = Text(validate=ma.validate.Length(max=proposals.MAX_AUDIENCE))
    languages = ma.fields.List(Text(), metadata={"example": ["en", "fr"]})
    cohosts = ma.fields.List(
        ma.fields.Integer(validate=ID_RANGE),
        metadata={"description": "member ids invited to co-host"},
    )


class ProposalArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    theme = Text(metadata={"description": "a theme slug; its sub-themes match too"})
    region = ma.fields.String(validate=ma.validate.OneOf(list(REGION_NAMES)))
    format = ma.fields.String(validate=ma.validate.OneOf(FORMATS))
    starts_after = AwareDateTime()
    starts_before = AwareDateTime()


class ReviewArgs(ma.Schema):
    round = ma.fields.Integer(
        validate=ma.validate.Range(min=1), metadata={"description": "only this round's"}
    )


class CommentIn(ma.Schema):
    comment = Text(load_default="", validate=ma.validate.Length(max=proposals.MAX_COMMENT))


class InvitationIn(ma.Schema):
    member_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    answer = ma.fields.String(required=True, validate=ma.validate.OneOf(["accept", "decline"]))


class ReviewIn(ma.Schema):
    recommendation = ma.fields.String(required=True, validate=ma.validate.OneOf(RECOMMENDATIONS))
    relevance = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    ambition = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    co_creation = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    feasibility = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    comment = Text(load_default="", validate=ma.validate.Length(max=proposals.MAX_COMMENT))


class DecisionIn(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(list(reviews.DECISIONS)))
    comment = Text(required=True, validate=ma.validate.Length(min=1, max=proposals.MAX_COMMENT))
