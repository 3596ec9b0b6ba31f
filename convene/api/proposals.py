"""/api/v1/proposals: draft, submit, review and decide on event proposals.

Every rule is in convene.services.proposals and .reviews; this module only translates
JSON to service calls and back. Times are ISO 8601 with an offset; a time given without
an offset is read as wall time in the proposal's `timezone`.
"""

from zoneinfo import ZoneInfo

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    EventFormat,
    HostStatus,
    Objective,
    Proposal,
    ProposalHost,
    ProposalStatus,
    Recommendation,
)
from ..services import InvalidInput, proposals, reviews
from ..services.regions import REGION_NAMES
from .common import (
    ID,
    ID_RANGE,
    TIMEZONE_DOC,
    AwareDateTime,
    DateTime,
    PageArgs,
    Text,
    bearer_user,
    collection_schema,
    paginate,
    theme_ids_for,
    token_required,
)
from .doc import api_error, error_documenter
from .routing import Blueprint

blp = Blueprint(
    "api_proposals", __name__, url_prefix="/api/v1/proposals", description="Event proposals"
)

STATUSES = [s.value for s in ProposalStatus]


class HostOut(ma.Schema):
    member_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    lead = ma.fields.Boolean(required=True, metadata={"description": "the proposing member"})
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in HostStatus]})


class TransitionOut(ma.Schema):
    from_status = ma.fields.String(allow_none=True, required=True)
    to_status = ma.fields.String(required=True)
    actor_id = ma.fields.Integer(allow_none=True, required=True)
    comment = ma.fields.String(required=True)
    at = ma.fields.DateTime(required=True)


class ReviewOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    proposal_id = ma.fields.Integer(required=True)
    reviewer_id = ma.fields.Integer(required=True)
    round = ma.fields.Integer(
        required=True,
        metadata={
            "description": "the review round: 1, then one more each time the proposal is "
            "submitted again after changes were requested"
        },
    )
    recommendation = ma.fields.String(
        required=True, metadata={"enum": [r.value for r in Recommendation]}
    )
    relevance = ma.fields.Integer(required=True)
    ambition = ma.fields.Integer(required=True)
    co_creation = ma.fields.Integer(required=True)
    feasibility = ma.fields.Integer(required=True)
    comment = ma.fields.String(required=True)
    updated_at = ma.fields.DateTime(required=True)


class ProposalOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    member_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    objectives = ma.fields.String(allow_none=True, required=True)
    themes = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "slugs"})
    format = ma.fields.String(allow_none=True, required=True)
    starts_at = ma.fields.DateTime(allow_none=True, required=True)
    ends_at = ma.fields.DateTime(allow_none=True, required=True)
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
    timeline = ma.fields.List(ma.fields.Nested(TransitionOut), required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


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
    format = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf([f.value for f in EventFormat])
    )
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
    format = ma.fields.String(validate=ma.validate.OneOf([f.value for f in EventFormat]))
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
    recommendation = ma.fields.String(
        required=True, validate=ma.validate.OneOf([r.value for r in Recommendation])
    )
    relevance = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    ambition = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    co_creation = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    feasibility = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 5))
    comment = Text(load_default="", validate=ma.validate.Length(max=proposals.MAX_COMMENT))


class DecisionIn(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(list(reviews.DECISIONS)))
    comment = Text(required=True, validate=ma.validate.Length(min=1, max=proposals.MAX_COMMENT))


def proposal_out(proposal: Proposal) -> dict:
    """The JSON of a proposal; times carry the offset of the proposal's own timezone."""

    def local(value):
        if value is None or not proposal.timezone:
            return value
        return value.astimezone(ZoneInfo(proposal.timezone))

    return {
        "id": proposal.id,
        "member_id": proposal.member_id,
        "status": proposal.status.value,
        "title": proposal.title,
        "summary": proposal.summary,
        "objectives": proposal.objectives.value if proposal.objectives else None,
        "themes": [theme.slug for theme in proposal.themes],
        "format": proposal.format.value if proposal.format else None,
        "starts_at": local(proposal.starts_at),
        "ends_at": local(proposal.ends_at),
        "timezone": proposal.timezone,
        "city": proposal.city,
        "country": proposal.country,
        "expected_size": proposal.expected_size,
        "audience": proposal.audience,
        "languages": list(proposal.languages or []),
        "hosts": [
            {
                "member_id": host.member_id,
                "name": host.member.name,
                "kind": host.member.kind.value,
                "lead": host.is_lead,
                "status": host.status.value,
            }
            for host in proposal.hosts
        ],
        "cocreation_met": proposals.cocreation_met(proposal),
        "cocreation_waiver_reason": proposal.cocreation_waiver_reason,
        "decision_comment": proposal.decision_comment,
        "review_round": proposal.review_round,
        "event_id": proposal.event.id if proposal.event else None,
        "missing": proposals.submission_problems(proposal) if proposal.is_open else {},
        "timeline": [
            {
                "from_status": t.from_status.value if t.from_status else None,
                "to_status": t.to_status.value,
                "actor_id": t.actor_id,
                "comment": t.comment,
                "at": t.created_at,
            }
            for t in proposal.transitions
        ],
        "created_at": proposal.created_at,
        "updated_at": proposal.updated_at,
    }


def _input(data: dict, current: Proposal | None = None) -> proposals.ProposalInput:
    """The service's input from JSON; for an update, fields not sent keep their value."""
    base = _current_input(current) if current else proposals.ProposalInput()
    for name in (
        "title",
        "summary",
        "objectives",
        "format",
        "starts_at",
        "ends_at",
        "timezone",
        "city",
        "country",
        "expected_size",
        "audience",
        "languages",
    ):
        if name in data:
            setattr(base, name, data[name] if data[name] is not None else _empty(name))
    if "themes" in data:
        base.theme_ids = theme_ids_for(data["themes"])
    if "cohosts" in data:
        base.cohost_ids = data["cohosts"]
    return base


def _empty(name):
    return "" if name in ("title", "summary", "audience") else ([] if name == "languages" else None)


def _current_input(proposal: Proposal) -> proposals.ProposalInput:
    return proposals.ProposalInput(
        title=proposal.title,
        summary=proposal.summary,
        objectives=proposal.objectives.value if proposal.objectives else None,
        theme_ids=[t.id for t in proposal.themes],
        format=proposal.format.value if proposal.format else None,
        starts_at=proposal.starts_at,
        ends_at=proposal.ends_at,
        timezone=proposal.timezone,
        city=proposal.city,
        country=proposal.country,
        expected_size=proposal.expected_size,
        audience=proposal.audience,
        languages=list(proposal.languages or []),
        cohost_ids=[h.member_id for h in proposal.hosts if not h.is_lead],
    )


ERRORS = {
    403: api_error(403, "Not allowed for this person"),
    404: api_error(404, "No such proposal, or not visible to this person"),
    409: api_error(409, "Not possible in the proposal's current state"),
    422: api_error(422, "Invalid or incomplete fields"),
}


_doc = error_documenter(blp, ERRORS)


@blp.route("")
@token_required
@blp.arguments(ProposalArgs, location="query")
@blp.response(200, ProposalCollection)
@_doc(422)
def list_proposals(args):
    """Proposals this person may see, newest first, with filters."""
    user = bearer_user()
    theme_id = None
    if args.get("theme"):
        theme_id = theme_ids_for([args["theme"]])[0]
    query = (
        reviews.filter_proposals(
            policy.visible_proposals(user),
            reviews.QueueFilters(
                status=args.get("status"),
                theme_id=theme_id,
                region=args.get("region"),
                format=args.get("format"),
                starts_after=args.get("starts_after"),
                starts_before=args.get("starts_before"),
            ),
        )
        .options(
            selectinload(Proposal.hosts).selectinload(ProposalHost.member),
            selectinload(Proposal.themes),
            selectinload(Proposal.transitions),
            selectinload(Proposal.event),
        )
        .order_by(Proposal.id.desc())
    )
    page = paginate(query, args["page"], args["per_page"])
    page["items"] = [proposal_out(p) for p in page["items"]]
    return page


@blp.route("", methods=["POST"])
@token_required
@blp.arguments(ProposalIn)
@blp.response(201, ProposalOut)
@_doc(403, 422)
def create_proposal(data):
    """Start a draft for a member you are a focal point of; drafts may be incomplete."""
    if "member_id" not in data:
        message = str(_l("Say which member proposes the event."))
        raise InvalidInput(message, {"member_id": [message]})
    proposal = proposals.create_proposal(bearer_user(), data["member_id"], _input(data))
    db.session.commit()
    return proposal_out(proposal)


@blp.route(f"/<{ID}:proposal_id>")
@token_required
@blp.response(200, ProposalOut)
@_doc(404)
def get_proposal(proposal_id):
    """One proposal with its hosts, what it still lacks and its timeline."""
    return proposal_out(proposals.get_proposal(bearer_user(), proposal_id))


@blp.route(f"/<{ID}:proposal_id>", methods=["PATCH"])
@token_required
@blp.arguments(ProposalIn)
@blp.response(200, ProposalOut)
@_doc(403, 404, 409, 422)
def update_proposal(data, proposal_id):
    """Change a draft or a proposal sent back for changes; fields not sent are kept."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    proposals.update_proposal(user, proposal, _input(data, proposal))
    db.session.commit()
    return proposal_out(proposal)


def _act(proposal_id, action):
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    action(user, proposal)
    db.session.commit()
    return proposal_out(proposal)


@blp.route(f"/<{ID}:proposal_id>/submit", methods=["POST"])
@token_required
@blp.arguments(CommentIn)
@blp.response(200, ProposalOut)
@_doc(403, 404, 409, 422)
def submit_proposal(data, proposal_id):
    """Submit for review; 422 lists what is missing, 409 if not a draft or sent back."""
    return _act(proposal_id, lambda u, p: proposals.submit(u, p, data["comment"]))


@blp.route(f"/<{ID}:proposal_id>/withdraw", methods=["POST"])
@token_required
@blp.arguments(CommentIn)
@blp.response(200, ProposalOut)
@_doc(403, 404, 409)
def withdraw_proposal(data, proposal_id):
    """Withdraw an open proposal (draft, submitted, in review or sent back)."""
    return _act(proposal_id, lambda u, p: proposals.withdraw(u, p, data["comment"]))


@blp.route(f"/<{ID}:proposal_id>/invitation", methods=["POST"])
@token_required
@blp.arguments(InvitationIn)
@blp.response(200, ProposalOut)
@_doc(403, 404, 409)
def answer_invitation(data, proposal_id):
    """A co-host's focal point accepts or declines hosting for their member."""
    return _act(
        proposal_id,
        lambda u, p: proposals.respond_to_invitation(
            u, p, data["member_id"], data["answer"] == "accept"
        ),
    )


@blp.route(f"/<{ID}:proposal_id>/reviews")
@token_required
@blp.arguments(ReviewArgs, location="query")
@blp.response(200, ReviewCollection)
@_doc(404, 422)
def list_reviews(args, proposal_id):
    """Every round's reviews, the current round first, for reviewers and the thematic
    leaders without a conflict."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    visible = reviews.visible_reviews(user, proposal, args.get("round"))
    return {"items": visible, "total": len(visible), "page": 1, "per_page": max(len(visible), 1)}


@blp.route(f"/<{ID}:proposal_id>/reviews", methods=["POST"])
@token_required
@blp.arguments(ReviewIn)
@blp.response(200, ReviewOut)
@_doc(403, 404, 409, 422)
def save_review(data, proposal_id):
    """Create or revise your review of the current round; the first review puts the
    proposal in review."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    review = reviews.save_review(user, proposal, reviews.ReviewInput(**data))
    db.session.commit()
    return review


@blp.route(f"/<{ID}:proposal_id>/decision", methods=["POST"])
@token_required
@blp.arguments(DecisionIn)
@blp.response(200, ProposalOut)
@_doc(403, 404, 409, 422)
def decide(data, proposal_id):
    """Accept (creating the event, whose id is in `event_id`), decline or request changes."""
    return _act(proposal_id, lambda u, p: reviews.decide(u, p, data["decision"], data["comment"]))
