"""What /api/v1/events/{id}/commitments and /api/v1/commitments/{id}/… read and answer."""

import marshmallow as ma

from ...models import Commitment, CommitmentStatus, ProgressUpdate
from ...services import followup
from .base import ObjectOut, TranslatedIn, TranslatedOut, collection_schema, slugs
from .fields import ID_RANGE, Date, Text

STATUSES = [s.value for s in CommitmentStatus]
# What a progress report's `current` and `note` say, for the document.
CURRENT_DOC = (
    "this report sets the commitment's `self_reported` status: the latest dated (the last "
    "posted on a tie); the others are its history"
)
NOTE_DOC = (
    "for a report dated before the current one: that it is kept in the history at its date "
    "and leaves the status as it was; null otherwise"
)


class ReportOut(ObjectOut):
    """What a progress report and an assessment both say: about which commitment, and
    its status on the same scale."""

    id = ma.fields.Integer(required=True)
    commitment_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})


class UpdateOut(ReportOut):
    reported_on = ma.fields.Date(required=True)
    narrative = ma.fields.String(required=True)
    evidence_links = ma.fields.List(ma.fields.String(), required=True)
    created_at = ma.fields.DateTime(required=True)
    current = ma.fields.Boolean(required=True, metadata={"description": CURRENT_DOC})
    note = ma.fields.String(allow_none=True, required=True, metadata={"description": NOTE_DOC})

    def get_current(self, update: ProgressUpdate) -> bool:
        return followup.is_current(update)

    def get_note(self, update: ProgressUpdate) -> str | None:
        return followup.history_note(update)


class AssessmentOut(ReportOut):
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

    def get_themes(self, commitment: Commitment) -> list[str]:
        return slugs(commitment.themes)

    def get_approved(self, commitment: Commitment) -> bool:
        return commitment.approved_at is not None

    def get_self_reported(self, commitment: Commitment) -> CommitmentStatus:
        return followup.self_reported(commitment)

    def get_assessed(self, commitment: Commitment) -> CommitmentStatus | None:
        return followup.assessed(commitment)

    def get_differs(self, commitment: Commitment) -> bool:
        return followup.differs(commitment)

    def get_overdue(self, commitment: Commitment) -> bool:
        return followup.overdue(commitment)


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
