"""/api/v1/events/{id}/commitments and /api/v1/commitments/{id}/updates|assessments.

The rules (who records, reports and assesses; nothing overwritten) are in
convene.services.followup; this module translates JSON to service calls and back.
"""

import marshmallow as ma

from ..extensions import db
from ..models import Commitment, CommitmentStatus
from ..services import events, followup
from .common import (
    ID,
    ID_RANGE,
    Date,
    Text,
    TranslatedIn,
    TranslatedOut,
    bearer_user,
    collection_schema,
    theme_ids_for,
    token_required,
    translated,
)
from .doc import api_error, error_documenter
from .events import viewer
from .routing import Blueprint

blp = Blueprint("api_followup", __name__, url_prefix="/api/v1", description="Follow-up")

STATUSES = [s.value for s in CommitmentStatus]


class UpdateOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    commitment_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    reported_on = ma.fields.Date(required=True)
    narrative = ma.fields.String(required=True)
    evidence_links = ma.fields.List(ma.fields.String(), required=True)
    created_at = ma.fields.DateTime(required=True)
    current = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "this report sets the commitment's `self_reported` status: the "
            "latest dated (the last posted on a tie); the others are its history"
        },
    )
    note = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "for a report dated before the current one: that it is kept in "
            "the history at its date and leaves the status as it was; null otherwise"
        },
    )


class AssessmentOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    commitment_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    justification = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)


class MilestoneOut(ma.Schema):
    title = ma.fields.String(required=True)
    due_date = ma.fields.Date(required=True)


class CommitmentOut(TranslatedOut):
    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    member_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    themes = ma.fields.List(ma.fields.String(), required=True)
    due_date = ma.fields.Date(required=True)
    action_plan_ref = ma.fields.String(allow_none=True, required=True)
    approved = ma.fields.Boolean(required=True)
    milestones = ma.fields.List(ma.fields.Nested(MilestoneOut), required=True)
    self_reported = ma.fields.String(required=True, metadata={"enum": STATUSES})
    assessed = ma.fields.String(allow_none=True, required=True, metadata={"enum": STATUSES})
    differs = ma.fields.Boolean(
        required=True, metadata={"description": "the assessment differs from the self-report"}
    )
    overdue = ma.fields.Boolean(required=True)


class MilestoneIn(ma.Schema):
    title = Text(required=True, validate=ma.validate.Length(max=300))
    due_date = Date(required=True)


class CommitmentIn(TranslatedIn):
    member_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    title = Text(required=True, validate=ma.validate.Length(max=300))
    description = Text(load_default="", validate=ma.validate.Length(max=20_000))
    themes = ma.fields.List(Text(), load_default=list)
    due_date = Date(required=True)
    action_plan_ref = Text(allow_none=True, validate=ma.validate.Length(max=500))
    milestones = ma.fields.List(ma.fields.Nested(MilestoneIn), load_default=list)


class UpdateIn(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    narrative = Text(load_default="", validate=ma.validate.Length(max=20_000))
    evidence_links = ma.fields.List(Text(validate=ma.validate.Length(max=500)), load_default=list)
    reported_on = Date(load_default=None)


class AssessmentIn(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    justification = Text(required=True, validate=ma.validate.Length(min=1, max=20_000))


CommitmentCollection = collection_schema(CommitmentOut, "CommitmentCollection")
UpdateCollection = collection_schema(UpdateOut, "UpdateCollection")
AssessmentCollection = collection_schema(AssessmentOut, "AssessmentCollection")

ERRORS = {
    401: api_error(401, "An Authorization header whose token is unknown or revoked"),
    403: api_error(403, "Not allowed for this person"),
    404: api_error(404, "No such event or commitment", "No such commitment."),
    409: api_error(409, "Not possible yet (for example, awaiting approval)"),
    422: api_error(422, "Invalid fields"),
}
_doc = error_documenter(blp, ERRORS)


def commitment_out(commitment: Commitment) -> dict:
    rating = followup.assessed(commitment)
    return {
        "id": commitment.id,
        "event_id": commitment.event_id,
        "member_id": commitment.member_id,
        **translated(commitment),
        "themes": [t.slug for t in commitment.themes],
        "due_date": commitment.due_date,
        "action_plan_ref": commitment.action_plan_ref,
        "approved": commitment.approved_at is not None,
        "milestones": [{"title": m.title, "due_date": m.due_date} for m in commitment.milestones],
        "self_reported": followup.self_reported(commitment).value,
        "assessed": rating.value if rating else None,
        "differs": followup.differs(commitment),
        "overdue": followup.overdue(commitment),
    }


def update_out(update) -> dict:
    return {
        "id": update.id,
        "commitment_id": update.commitment_id,
        "status": update.status.value,
        "reported_on": update.reported_on,
        "narrative": update.narrative,
        "evidence_links": update.evidence_links,
        "created_at": update.created_at,
        "current": followup.is_current(update),
        "note": followup.history_note(update),
    }


def _all(items) -> dict:
    items = list(items)
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@blp.route(f"/events/<{ID}:event_id>/commitments")
@blp.response(200, CommitmentCollection)
@_doc(401, 404)
def list_commitments(event_id):
    """The event's approved commitments, each with its self-report beside its assessment."""
    event = events.get_event_by_id(viewer(), event_id)
    return _all(commitment_out(c) for c in followup.commitments_of(event))


@blp.route(f"/events/<{ID}:event_id>/commitments", methods=["POST"])
@token_required
@blp.arguments(CommitmentIn)
@blp.response(201, CommitmentOut)
@_doc(403, 404, 422)
def create_commitment(data, event_id):
    """Record a commitment (organisers), or propose one for approval (the owner's focal
    points, for an event their member hosted)."""
    user = bearer_user()
    event = events.get_event_by_id(user, event_id)
    commitment = followup.create_commitment(
        user,
        event,
        followup.CommitmentInput(
            member_id=data["member_id"],
            title=data["title"],
            description=data["description"],
            theme_ids=theme_ids_for(data["themes"]),
            due_date=data["due_date"],
            action_plan_ref=data.get("action_plan_ref"),
            milestones=[(m["title"], m["due_date"]) for m in data["milestones"]],
            language=data.get("language") or "en",
            translations=data.get("translations") or {},
        ),
    )
    db.session.commit()
    return commitment_out(commitment)


@blp.route(f"/commitments/<{ID}:commitment_id>")
@blp.response(200, CommitmentOut)
@_doc(401, 404)
def get_commitment(commitment_id):
    """One commitment."""
    return commitment_out(followup.get_commitment(viewer(), commitment_id))


@blp.route(f"/commitments/<{ID}:commitment_id>/approve", methods=["POST"])
@token_required
@blp.response(200, CommitmentOut)
@_doc(403, 404)
def approve(commitment_id):
    """Approve a commitment an owner's focal point proposed (the event's organisers)."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    followup.approve(user, commitment)
    db.session.commit()
    return commitment_out(commitment)


@blp.route(f"/commitments/<{ID}:commitment_id>/updates")
@blp.response(200, UpdateCollection)
@_doc(401, 404)
def list_updates(commitment_id):
    """Every progress report, oldest first; none is ever changed. `current` marks the one
    that sets the status."""
    return _all(update_out(u) for u in followup.get_commitment(viewer(), commitment_id).updates)


@blp.route(f"/commitments/<{ID}:commitment_id>/updates", methods=["POST"])
@token_required
@blp.arguments(UpdateIn)
@blp.response(201, UpdateOut)
@_doc(403, 404, 409, 422)
def post_update(data, commitment_id):
    """Report progress (the owner member's focal points). A report dated before the
    current one is kept as history: the answer says so in `current` and `note`."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    update = followup.post_update(user, commitment, followup.UpdateInput(**data))
    answer = update_out(update)
    db.session.commit()
    return answer


@blp.route(f"/commitments/<{ID}:commitment_id>/assessments")
@blp.response(200, AssessmentCollection)
@_doc(401, 404)
def list_assessments(commitment_id):
    """Every independent assessment, oldest first."""
    return _all(followup.get_commitment(viewer(), commitment_id).assessments)


@blp.route(f"/commitments/<{ID}:commitment_id>/assessments", methods=["POST"])
@token_required
@blp.arguments(AssessmentIn)
@blp.response(201, AssessmentOut)
@_doc(403, 404, 422)
def assess(data, commitment_id):
    """Rate completion (assessors who do not speak for the owner member)."""
    user = bearer_user()
    commitment = followup.get_commitment(user, commitment_id)
    assessment = followup.assess(user, commitment, data["status"], data["justification"])
    db.session.commit()
    return assessment
