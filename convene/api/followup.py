"""/api/v1/events/{id}/commitments and /api/v1/commitments/{id}/updates|assessments.

The rules (who records, reports and assesses; nothing overwritten) are in
convene.services.followup; this module translates JSON to service calls and back.
"""

from ..extensions import db
from ..services import events, followup
from .common import ID, bearer_user, dumped, page_of, theme_ids_for, viewer
from .doc import api_error
from .routing import Blueprint
from .schemas.followup import (
    AssessmentCollection,
    AssessmentIn,
    AssessmentOut,
    CommitmentCollection,
    CommitmentIn,
    CommitmentOut,
    UpdateCollection,
    UpdateIn,
    UpdateOut,
)

blp = Blueprint("api_followup", __name__, url_prefix="/api/v1", description="Follow-up")


def _commitment_input(data: dict) -> followup.CommitmentInput:
    return followup.CommitmentInput(
        member_id=data["member_id"],
        title=data["title"],
        description=data["description"],
        theme_ids=theme_ids_for(data["themes"]),
        due_date=data["due_date"],
        action_plan_ref=data.get("action_plan_ref"),
        milestones=[(m["title"], m["due_date"]) for m in data["milestones"]],
        language=data.get("language") or "en",
        translations=data.get("translations") or {},
    )


blp.errors = {
    404: api_error(404, "No such event or commitment", "No such commitment."),
    409: api_error(409, "Not possible yet (for example, awaiting approval)"),
}


@blp.route(f"/events/<{ID}:event_id>/commitments")
@blp.operation(answer=CommitmentCollection, errors=(401, 404))
def list_commitments(event_id):
    """The event's approved commitments, each with its self-report beside its assessment."""
    event = events.get_event_by_id(viewer(), event_id)
    return page_of(followup.commitments_of(event))


@blp.route(f"/events/<{ID}:event_id>/commitments", methods=["POST"])
@blp.operation(
    token=True, body=CommitmentIn, answer=CommitmentOut, status=201, errors=(403, 404, 422)
)
def create_commitment(data, event_id):
    """Record a commitment (organisers), or propose one for approval (the owner's focal
    points, for an event their member hosted)."""
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    commitment = followup.create_commitment(user, event, _commitment_input(data))
    db.session.commit()
    return commitment


@blp.route(f"/commitments/<{ID}:commitment_id>")
@blp.operation(answer=CommitmentOut, errors=(401, 404))
def get_commitment(commitment_id):
    """One commitment."""
    return followup.get_commitment(viewer(), commitment_id)


@blp.route(f"/commitments/<{ID}:commitment_id>/approve", methods=["POST"])
@blp.operation(token=True, answer=CommitmentOut, errors=(403, 404))
def approve(commitment_id):
    """Approve a commitment an owner's focal point proposed (the event's organisers)."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    followup.approve(user, commitment)
    db.session.commit()
    return commitment


@blp.route(f"/commitments/<{ID}:commitment_id>/updates")
@blp.operation(answer=UpdateCollection, errors=(401, 404))
def list_updates(commitment_id):
    """Every progress report, oldest first; none is ever changed. `current` marks the one
    that sets the status."""
    return page_of(followup.get_commitment(viewer(), commitment_id).updates)


@blp.route(f"/commitments/<{ID}:commitment_id>/updates", methods=["POST"])
@blp.operation(token=True, body=UpdateIn, answer=UpdateOut, status=201, errors=(403, 404, 409, 422))
def post_update(data, commitment_id):
    """Report progress (the owner member's focal points). A report dated before the
    current one is kept as history: the answer says so in `current` and `note`."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    update = followup.post_update(user, commitment, followup.UpdateInput(**data))
    # Dumped before the commit, which would expire the commitment's history.
    answer = dumped(UpdateOut, update, 201)
    db.session.commit()
    return answer


@blp.route(f"/commitments/<{ID}:commitment_id>/assessments")
@blp.operation(answer=AssessmentCollection, errors=(401, 404))
def list_assessments(commitment_id):
    """Every independent assessment, oldest first."""
    return page_of(followup.get_commitment(viewer(), commitment_id).assessments)


@blp.route(f"/commitments/<{ID}:commitment_id>/assessments", methods=["POST"])
@blp.operation(
    token=True, body=AssessmentIn, answer=AssessmentOut, status=201, errors=(403, 404, 422)
)
def assess(data, commitment_id):
    """Rate completion (assessors who do not speak for the owner member)."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    assessment = followup.assess(user, commitment, data["status"], data["justification"])
    db.session.commit()
    return assessment
