"""/api/v1/proposals: draft, submit, review and decide on event proposals.

Every rule is in convene.services.proposals and .reviews; this module only translates
JSON to service calls and back. Times are ISO 8601 with an offset; a time given without
an offset is read as wall time in the proposal's `timezone`.
"""

from dataclasses import fields

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Proposal, ProposalHost
from ..services import InvalidInput, proposals, reviews
from .common import (
    ID,
    bearer_user,
    filters_from,
    page_of,
    paginate,
    theme_id_for,
    theme_ids_for,
)
from .doc import api_error
from .routing import Blueprint
from .schemas.proposals import (
    CommentIn,
    DecisionIn,
    InvitationIn,
    ProposalArgs,
    ProposalCollection,
    ProposalIn,
    ProposalOut,
    ReviewArgs,
    ReviewCollection,
    ReviewIn,
    ReviewOut,
)

blp = Blueprint(
    "api_proposals", __name__, url_prefix="/api/v1/proposals", description="Event proposals"
)


def _listing(args: dict, user):
    """The proposals `user` may see matching the query's filters, newest first, with what
    their answer shows loaded in one query each whatever the page size."""
    # An unknown theme is named under `themes`, as it always was.
    theme_id = theme_id_for(args.get("theme"), "themes")
    filters = filters_from(args, reviews.QueueFilters, theme_id=theme_id)
    return (
        reviews.filter_proposals(policy.visible_proposals(user), filters)
        .options(
            selectinload(Proposal.hosts).selectinload(ProposalHost.member),
            selectinload(Proposal.themes),
            selectinload(Proposal.transitions),
            selectinload(Proposal.event),
        )
        .order_by(Proposal.id.desc())
    )


def _input(data: dict, current: Proposal | None = None) -> proposals.ProposalInput:
    """The service's input from JSON; for an update, fields not sent keep their value, and
    a field sent as null is emptied."""
    base = _current_input(current) if current else proposals.ProposalInput()
    empty = proposals.ProposalInput()
    for name in (field.name for field in fields(empty) if field.name in data):
        setattr(base, name, data[name] if data[name] is not None else getattr(empty, name))
    if "themes" in data:
        base.theme_ids = theme_ids_for(data["themes"])
    if "cohosts" in data:
        base.cohost_ids = data["cohosts"]
    return base


# The service's input fields that a proposal holds as they are.
AS_STORED = tuple(
    field.name
    for field in fields(proposals.ProposalInput)
    if field.name not in ("objectives", "format", "theme_ids", "languages", "cohost_ids")
)


def _current_input(proposal: Proposal) -> proposals.ProposalInput:
    """What the proposal holds, as the service's input."""
    return proposals.ProposalInput(
        **{name: getattr(proposal, name) for name in AS_STORED},
        objectives=proposal.objectives.value if proposal.objectives else None,
        format=proposal.format.value if proposal.format else None,
        theme_ids=[t.id for t in proposal.themes],
        languages=list(proposal.languages or []),
        cohost_ids=[h.member_id for h in proposal.hosts if not h.is_lead],
    )


blp.errors = {
    404: api_error(404, "No such proposal, or not visible to this person"),
    409: api_error(409, "Not possible in the proposal's current state"),
    422: api_error(422, "Invalid or incomplete fields"),
}


@blp.route("")
@blp.operation(token=True, query=ProposalArgs, answer=ProposalCollection, errors=(422,))
def list_proposals(args):
    """Proposals this person may see, newest first, with filters."""
    return paginate(_listing(args, bearer_user()), args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@blp.operation(token=True, body=ProposalIn, answer=ProposalOut, status=201, errors=(403, 422))
def create_proposal(data):
    """Start a draft for a member you are a focal point of; drafts may be incomplete."""
    if "member_id" not in data:
        message = str(_l("Say which member proposes the event."))
        raise InvalidInput(message, {"member_id": [message]})
    proposal = proposals.create_proposal(bearer_user(), data["member_id"], _input(data))
    db.session.commit()
    return proposal


@blp.route(f"/<{ID}:proposal_id>")
@blp.operation(token=True, answer=ProposalOut, errors=(404,))
def get_proposal(proposal_id):
    """One proposal with its hosts, what it still lacks and its timeline."""
    return proposals.get_proposal(bearer_user(), proposal_id)


def _act(proposal_id: int, action) -> Proposal:
    """`action(user, proposal)` on the proposal, committed."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    action(user, proposal)
    db.session.commit()
    return proposal


@blp.route(f"/<{ID}:proposal_id>", methods=["PATCH"])
@blp.operation(token=True, body=ProposalIn, answer=ProposalOut, errors=(403, 404, 409, 422))
def update_proposal(data, proposal_id):
    """Change a draft or a proposal sent back for changes; fields not sent are kept."""
    return _act(proposal_id, lambda u, p: proposals.update_proposal(u, p, _input(data, p)))


@blp.route(f"/<{ID}:proposal_id>/submit", methods=["POST"])
@blp.operation(token=True, body=CommentIn, answer=ProposalOut, errors=(403, 404, 409, 422))
def submit_proposal(data, proposal_id):
    """Submit for review; 422 lists what is missing, 409 if not a draft or sent back."""
    return _act(proposal_id, lambda u, p: proposals.submit(u, p, data["comment"]))


@blp.route(f"/<{ID}:proposal_id>/withdraw", methods=["POST"])
@blp.operation(token=True, body=CommentIn, answer=ProposalOut, errors=(403, 404, 409))
def withdraw_proposal(data, proposal_id):
    """Withdraw an open proposal (draft, submitted, in review or sent back)."""
    return _act(proposal_id, lambda u, p: proposals.withdraw(u, p, data["comment"]))


@blp.route(f"/<{ID}:proposal_id>/invitation", methods=["POST"])
@blp.operation(token=True, body=InvitationIn, answer=ProposalOut, errors=(403, 404, 409))
def answer_invitation(data, proposal_id):
    """A co-host's focal point accepts or declines hosting for their member."""
    accept = data["answer"] == "accept"
    return _act(
        proposal_id,
        lambda u, p: proposals.respond_to_invitation(u, p, data["member_id"], accept),
    )


@blp.route(f"/<{ID}:proposal_id>/reviews")
@blp.operation(token=True, query=ReviewArgs, answer=ReviewCollection, errors=(404, 422))
def list_reviews(args, proposal_id):
    """Every round's reviews, the current round first, for reviewers and the thematic
    leaders without a conflict."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    return page_of(reviews.visible_reviews(user, proposal, args.get("round")))


@blp.route(f"/<{ID}:proposal_id>/reviews", methods=["POST"])
@blp.operation(token=True, body=ReviewIn, answer=ReviewOut, errors=(403, 404, 409, 422))
def save_review(data, proposal_id):
    """Create or revise your review of the current round; the first review puts the
    proposal in review."""
    user = bearer_user()
    proposal = proposals.get_proposal(user, proposal_id)
    review = reviews.save_review(user, proposal, reviews.ReviewInput(**data))
    db.session.commit()
    return review


@blp.route(f"/<{ID}:proposal_id>/decision", methods=["POST"])
@blp.operation(token=True, body=DecisionIn, answer=ProposalOut, errors=(403, 404, 409, 422))
def decide(data, proposal_id):
    """Accept (creating the event, whose id is in `event_id`), decline or request changes."""
    return _act(proposal_id, lambda u, p: reviews.decide(u, p, data["decision"], data["comment"]))
