"""Follow-up: commitments born at events, self-reported progress, independent assessment,
and reminders. Nothing here is ever overwritten: updates and assessments are added.

commitments  recording, approving and finding commitments
progress     progress reports and assessments, and the status marks read from them
reminders    the weekly e-mail about commitments due soon or overdue
bulk         the CSV export, and progress on many commitments at once from a CSV
"""

# The status scale reports and assessments rate on, named here as callers always have.
from ...models import CommitmentStatus
from .bulk import (
    EXPORT_COLUMNS,
    MAX_UPDATE_ROWS,
    REPORT_COLUMNS,
    UPDATE_COLUMNS,
    ImportedUpdates,
    export_csv,
    import_updates,
    update_template,
)
from .commitments import (
    CommitmentInput,
    approve,
    commitments_for,
    commitments_of,
    create_commitment,
    get_commitment,
    pending_commitments,
)
from .progress import (
    CLOSED,
    UpdateInput,
    assess,
    assessed,
    clean_update,
    current_update,
    differs,
    history_note,
    is_current,
    overdue,
    post_update,
    require_reportable,
    self_reported,
)
from .reminders import REMIND_EVERY, send_reminders

__all__ = [
    "CLOSED",
    "EXPORT_COLUMNS",
    "MAX_UPDATE_ROWS",
    "REMIND_EVERY",
    "REPORT_COLUMNS",
    "UPDATE_COLUMNS",
    "CommitmentInput",
    "CommitmentStatus",
    "ImportedUpdates",
    "UpdateInput",
    "approve",
    "assess",
    "assessed",
    "clean_update",
    "commitments_for",
    "commitments_of",
    "create_commitment",
    "current_update",
    "differs",
    "export_csv",
    "get_commitment",
    "history_note",
    "import_updates",
    "is_current",
    "overdue",
    "pending_commitments",
    "post_update",
    "require_reportable",
    "self_reported",
    "send_reminders",
    "update_template",
]
