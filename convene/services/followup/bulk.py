"""Follow-up in spreadsheets: the export of commitments, and progress on many at once
through a CSV a focal point fills in."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Commitment, ProgressUpdate
from ...models.base import parse_id
from ...policy import Actor
from .. import Conflict, InvalidInput, NotFound, PermissionDenied
from ..spreadsheets import ImportRefused, Row, checked_rows, read_rows, write_csv
from ..validation import parse_date
from .commitments import commitments_for, get_commitment
from .progress import (
    UpdateInput,
    clean_update,
    current_update,
    differs,
    history_note,
    overdue,
    require_reportable,
    self_reported,
)

EXPORT_COLUMNS = [
    "id",
    "event",
    "member",
    "title",
    "due_date",
    "self_reported",
    "reported_on",
    "narrative",
    "assessed",
    "assessed_on",
    "differs",
    "overdue",
    "action_plan_ref",
]


def export_csv(commitments: list[Commitment]) -> str:
    """The commitments with their current report and latest assessment, as every export
    is written (spreadsheets.write_csv)."""
    rows = []
    for c in commitments:
        latest = current_update(c)
        rating = c.assessments[-1] if c.assessments else None
        rows.append(
            (
                c.id,
                c.event.title,
                c.member.name,
                c.title,
                c.due_date.isoformat(),
                self_reported(c).value,
                latest and latest.reported_on.isoformat(),
                latest and latest.narrative,
                rating and rating.status.value,
                rating and rating.created_at.date().isoformat(),
                "yes" if differs(c) else "no",
                "yes" if overdue(c) else "no",
                c.action_plan_ref,
            )
        )
    return write_csv(EXPORT_COLUMNS, rows)


UPDATE_COLUMNS = (
    "commitment_id",
    "title",
    "status",
    "narrative",
    "evidence_links",
    "reported_on",
)
# What a row reports; a row with none of them filled is a template row left untouched.
REPORT_COLUMNS = ("status", "narrative", "evidence_links", "reported_on")
MAX_UPDATE_ROWS = 2000


def update_template(actor: Actor) -> str:
    """The bulk-update CSV to fill in: one row per approved commitment of the person's
    members, with its id and title (for orientation, ignored on import) and the report
    columns empty."""
    rows = [
        (c.id, c.title, "", "", "", "") for c in commitments_for(actor) if c.approved_at is not None
    ]
    return write_csv(UPDATE_COLUMNS, rows)


def _commitment_in(actor: Actor, value: str) -> Commitment | None:
    """The row's commitment if the person may see it, as on its page."""
    number = parse_id(value)
    if number is None:
        return None
    try:
        return get_commitment(actor, number)
    except NotFound:
        return None


def _check_row(actor: Actor, row: Row) -> tuple[Commitment | None, dict | None]:
    """The row's commitment and report values, every problem of every cell added to
    `row.problems`."""
    cells = row.cells
    commitment = _commitment_in(actor, cells.get("commitment_id", ""))
    if commitment is None:
        row.problems.append(("commitment_id", str(_l("No such commitment."))))
    else:
        try:
            require_reportable(actor, commitment)
        except (PermissionDenied, Conflict) as error:
            row.problems.append(("commitment_id", error.message))
    reported_on = None
    if cells.get("reported_on"):
        try:
            reported_on = parse_date(cells["reported_on"], "reported_on")
        except InvalidInput as error:
            row.problems += [("reported_on", m) for m in error.fields["reported_on"]]
    data = UpdateInput(
        status=cells.get("status", ""),
        narrative=cells.get("narrative", ""),
        evidence_links=cells.get("evidence_links", "").split(),
        reported_on=reported_on,
    )
    try:
        return commitment, clean_update(data)
    except InvalidInput as error:
        row.problems += [(name, m) for name, ms in error.fields.items() for m in ms]
        return commitment, None


@dataclass
class ImportedUpdates:
    """What an upload saved, and a note (row, column, message) for each report saved as
    history because it is dated before its commitment's current report."""

    updates: list[ProgressUpdate]
    notes: list[tuple[int, str, str]]


def import_updates(actor: Actor, content: bytes) -> ImportedUpdates:
    """Many progress reports at once from a CSV (columns: commitment_id, status, narrative,
    evidence_links separated by spaces, reported_on YYYY-MM-DD; title is ignored). Rows
    with no report column filled are skipped; every cell of every other row is checked,
    and ImportRefused lists all the problems by row and column unless all are valid. On
    refusal the caller rolls back: nothing is saved."""
    rows = read_rows(
        content,
        UPDATE_COLUMNS,
        ("commitment_id", "status"),
        MAX_UPDATE_ROWS,
        str(_l("At most %(n)d rows per file.", n=MAX_UPDATE_ROWS)),
    )
    # A row with no report column filled is a template row left untouched: skipped.
    posted = checked_rows(
        rows,
        lambda row: any(row.cells.get(c) for c in REPORT_COLUMNS),
        lambda row: (row.number, *_check_row(actor, row)),
    )
    if not posted:
        raise ImportRefused(
            str(_l("Nothing to import: no row reports progress.")),
            [(0, "status", str(_l("Fill in at least the status of each commitment to report.")))],
        )
    updates = []
    for _number, commitment, values in posted:
        update = ProgressUpdate(author_id=actor.id, **values)
        commitment.updates.append(update)
        updates.append(update)
    db.session.flush()
    # Known once all are in: a later row may supersede an earlier one of the same file.
    notes = [
        (number, "reported_on", note)
        for (number, _c, _v), update in zip(posted, updates, strict=True)
        if (note := history_note(update))
    ]
    return ImportedUpdates(updates, notes)
