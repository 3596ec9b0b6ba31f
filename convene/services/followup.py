"""Follow-up: commitments born at events, self-reported progress, independent assessment,
and reminders. Nothing here is ever overwritten: updates and assessments are added."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    Assessment,
    Commitment,
    CommitmentStatus,
    Event,
    FocalPoint,
    Member,
    Milestone,
    ProgressUpdate,
    User,
    utcnow,
)
from ..policy import Actor
from ..urls import external_url
from . import Checks, Conflict, InvalidInput, NotFound, PermissionDenied, audit, content, mail
from .events import _themes as check_themes
from .spreadsheets import ImportRefused, Row, read_rows, write_csv
from .validation import ONE_LINE_MESSAGE, is_one_line, parse_date

CLOSED = frozenset({CommitmentStatus.COMPLETED, CommitmentStatus.WITHDRAWN})
REMIND_EVERY = timedelta(days=7)


@dataclass
class CommitmentInput:
    member_id: int | None = None
    title: str = ""
    description: str = ""
    theme_ids: list[int] = field(default_factory=list)
    due_date: date | None = None
    action_plan_ref: str | None = None
    milestones: list[tuple[str, date]] = field(default_factory=list)
    language: str = "en"
    translations: dict | None = None


@dataclass
class UpdateInput:
    status: str = ""
    narrative: str = ""
    evidence_links: list[str] = field(default_factory=list)
    reported_on: date | None = None


def _http_links(links: list[str], checks: Checks, name: str) -> list[str]:
    cleaned = [link.strip() for link in links or [] if link and link.strip()]
    for link in cleaned:
        if len(link) > 500 or not link.lower().startswith(("https://", "http://")):
            checks.errors.setdefault(name, []).append(
                str(_l("Links must start with https:// or http://."))
            )
            break
    return cleaned[:20]


def _status(value: str, checks: Checks, name: str = "status") -> CommitmentStatus | None:
    try:
        return CommitmentStatus(value)
    except ValueError:
        checks.errors.setdefault(name, []).append(str(_l("Choose a status from the scale.")))
        return None


# Commitments -----------------------------------------------------------------------


def create_commitment(actor: Actor, event: Event, data: CommitmentInput) -> Commitment:
    """Organisers record commitments; an owner member's focal point may propose one for an
    event the member hosted, which waits for an organiser's approval."""
    policy.require_add_commitment(actor, event, data.member_id)
    checks = Checks()
    title = (data.title or "").strip()
    if not title or len(title) > 300:
        checks.errors["title"] = [str(_l("Give the commitment a title (at most 300 characters)."))]
    elif not is_one_line(title):
        checks.errors["title"] = [str(ONE_LINE_MESSAGE)]
    if data.member_id is None or db.session.get(Member, data.member_id) is None:
        checks.errors["member_id"] = [str(_l("Choose the member that commits."))]
    event_day = event.starts_at.date()
    if data.due_date is None:
        checks.errors["due_date"] = [str(_l("Give a due date."))]
    elif data.due_date < event_day:
        checks.errors["due_date"] = [str(_l("The due date cannot be before the event."))]
    for position, (label, due) in enumerate(data.milestones):
        if not (label or "").strip() or due is None or due < event_day:
            checks.errors[f"milestones.{position}"] = [
                str(_l("Each milestone needs a title and a date after the event."))
            ]
    reference = (data.action_plan_ref or "").strip() or None
    if reference and len(reference) > 500:
        checks.errors["action_plan_ref"] = [str(_l("Keep this under 500 characters."))]
    checks.run("themes", lambda: check_themes(data.theme_ids))
    checks.run("translations", lambda: content.clean_translations(data.language, data.translations))
    if checks.errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), checks.errors)
    commitment = Commitment(
        event=event,
        member_id=data.member_id,
        title=title,
        description=(data.description or "").strip()[:20_000],
        due_date=data.due_date,
        action_plan_ref=reference,
        created_by_id=actor.id,
        approved_at=utcnow() if policy.can_manage_event(actor, event) else None,
        themes=checks.values["themes"],
        language=data.language,
        translations=checks.values["translations"],
        milestones=[
            Milestone(title=label.strip()[:300], due_date=due) for label, due in data.milestones
        ],
    )
    db.session.add(commitment)
    db.session.flush()
    return commitment


def approve(actor: Actor, commitment: Commitment) -> None:
    policy.require_approve_commitment(actor, commitment)
    if commitment.approved_at is None:
        commitment.approved_at = utcnow()
        summary = f"approved commitment “{commitment.title}”"
        audit.record(actor, "commitment.approved", "commitment", commitment.id, summary)


def get_commitment(actor: Actor | None, commitment_id: int) -> Commitment:
    """An approved commitment of an event the actor can see (public once published), or one
    awaiting approval for those who may see it; NotFound for anyone else."""
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or not policy.can_see_commitment(actor, commitment):
        raise NotFound(str(_l("No such commitment.")))
    return commitment


def commitments_of(event: Event) -> list[Commitment]:
    """The event's approved commitments with their history, in four queries."""
    return db.session.scalars(
        select(Commitment)
        .where(Commitment.event_id == event.id, Commitment.approved_at.is_not(None))
        .options(
            selectinload(Commitment.updates),
            selectinload(Commitment.assessments),
            selectinload(Commitment.member),
            selectinload(Commitment.milestones),
        )
        .order_by(Commitment.due_date, Commitment.id)
    ).all()


def pending_commitments(actor: Actor, event: Event) -> list[Commitment]:
    """Commitments proposed by owners and awaiting an organiser (organisers only)."""
    if not policy.can_manage_event(actor, event):
        return []
    return db.session.scalars(
        select(Commitment)
        .where(Commitment.event_id == event.id, Commitment.approved_at.is_(None))
        .options(selectinload(Commitment.member))
        .order_by(Commitment.id)
    ).all()


def commitments_for(actor: Actor) -> list[Commitment]:
    """The commitments of every member the person speaks for, approved or awaiting
    approval, by due date, with what their status marks need, in six queries whatever
    their number; empty for someone who speaks for no member."""
    members = policy.member_ids_of(actor)
    if not members:
        return []
    return db.session.scalars(
        select(Commitment)
        .where(Commitment.member_id.in_(members))
        .options(
            selectinload(Commitment.updates),
            selectinload(Commitment.assessments),
            selectinload(Commitment.member),
            selectinload(Commitment.event),
        )
        .order_by(Commitment.due_date, Commitment.id)
    ).all()


# Progress and assessment -----------------------------------------------------------


def clean_update(data: UpdateInput) -> dict:
    """A report's checked values, whatever it is about; InvalidInput naming every field
    that is wrong."""
    checks = Checks()
    status = _status(data.status, checks)
    links = _http_links(data.evidence_links, checks, "evidence_links")
    narrative = (data.narrative or "").strip()
    if len(narrative) > 20_000:
        checks.errors["narrative"] = [str(_l("Keep this under 20,000 characters."))]
    reported_on = data.reported_on or utcnow().date()
    if reported_on > utcnow().date():
        checks.errors["reported_on"] = [str(_l("A report cannot be dated in the future."))]
    if checks.errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), checks.errors)
    return {
        "status": status,
        "narrative": narrative,
        "evidence_links": links,
        "reported_on": reported_on,
    }


def _reportable(actor: Actor, commitment: Commitment) -> None:
    """PermissionDenied unless policy lets the person report on it; Conflict until approved."""
    policy.require_report_progress(actor, commitment)
    if commitment.approved_at is None:
        raise Conflict(str(_l("This commitment awaits an organiser's approval.")))


def post_update(actor: Actor, commitment: Commitment, data: UpdateInput) -> ProgressUpdate:
    """The owner member's focal points report progress; every report is kept, at its date.
    One dated before the latest report is history: `history_note` says so to the person."""
    _reportable(actor, commitment)
    update = ProgressUpdate(author_id=actor.id, **clean_update(data))
    commitment.updates.append(update)
    db.session.flush()
    return update


def assess(actor: Actor, commitment: Commitment, status: str, justification: str) -> Assessment:
    """An assessor rates completion; never someone who speaks for the owner member."""
    policy.require_assess(actor, commitment)
    checks = Checks()
    rating = _status(status, checks)
    justification = (justification or "").strip()
    if not justification or len(justification) > 20_000:
        checks.errors["justification"] = [str(_l("Justify the rating."))]
    if checks.errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), checks.errors)
    assessment = Assessment(assessor_id=actor.id, status=rating, justification=justification)
    commitment.assessments.append(assessment)
    db.session.flush()
    summary = f"assessed “{commitment.title}”: {rating.value.replace('_', ' ')}"
    details = {"assessment_id": assessment.id, "status": rating}
    audit.record(actor, "assessment.recorded", "commitment", commitment.id, summary, details)
    return assessment


def current_update(commitment: Commitment) -> ProgressUpdate | None:
    """The report that sets the commitment's status: the latest dated, and of those dated
    the same day the last posted. Reports dated earlier are its history."""
    return max(commitment.updates, key=lambda u: (u.reported_on, u.id), default=None)


def is_current(update: ProgressUpdate) -> bool:
    return current_update(update.commitment) is update


def history_note(update: ProgressUpdate) -> str | None:
    """Why the report leaves the commitment's status as it was, for a report dated before
    the current one (None otherwise): the person who posts it is told, not left guessing."""
    current = current_update(update.commitment)
    if current is None or update.reported_on >= current.reported_on:
        return None
    return str(
        _l(
            "This report is dated %(date)s, before the report of %(latest)s: it is kept in "
            "the history at its date, and the current status stays the one reported on "
            "%(latest)s.",
            date=update.reported_on.isoformat(),
            latest=current.reported_on.isoformat(),
        )
    )


def self_reported(commitment: Commitment) -> CommitmentStatus:
    current = current_update(commitment)
    return current.status if current else CommitmentStatus.NOT_STARTED


def assessed(commitment: Commitment) -> CommitmentStatus | None:
    return commitment.assessments[-1].status if commitment.assessments else None


def differs(commitment: Commitment) -> bool:
    rating = assessed(commitment)
    return rating is not None and rating is not self_reported(commitment)


def overdue(commitment: Commitment, today: date | None = None) -> bool:
    today = today or utcnow().date()
    return commitment.due_date < today and self_reported(commitment) not in CLOSED


# Reminders -------------------------------------------------------------------------


def send_reminders(days_before: int, now=None) -> int:
    """E-mail the owners' focal points about commitments due within `days_before` days or
    overdue, at most once a week each, never for completed or withdrawn ones."""
    now = now or utcnow()
    today = now.date()
    commitments = db.session.scalars(
        select(Commitment)
        .where(
            Commitment.approved_at.is_not(None),
            Commitment.due_date <= today + timedelta(days=days_before),
        )
        .options(
            selectinload(Commitment.updates),
            selectinload(Commitment.event),
            selectinload(Commitment.member)
            .selectinload(Member.focal_points)
            .selectinload(FocalPoint.user),
        )
    ).all()
    sent = 0
    for commitment in commitments:
        if self_reported(commitment) in CLOSED:
            continue
        if commitment.last_reminded_at and now - commitment.last_reminded_at < REMIND_EVERY:
            continue
        late = commitment.due_date < today
        for focal_point in commitment.member.focal_points:
            person: User = focal_point.user
            mail.send(
                "commitment_reminder",
                person,
                commitment=commitment,
                late=late,
                # Straight to the form: the reminder's whole point is a one-minute report.
                report_url=external_url("followup.detail", commitment_id=commitment.id) + "#report",
                mine_url=external_url("followup.mine"),
                event_url=external_url("events.detail", slug=commitment.event.slug),
            )
            sent += 1
        commitment.last_reminded_at = now
    return sent


# Export and bulk updates ---------------------------------------------------------------

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
    # isdecimal, not isdigit: int() refuses digits such as "²".
    if not (value.isdecimal() and int(value) < 2**31):
        return None
    try:
        return get_commitment(actor, int(value))
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
            _reportable(actor, commitment)
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
    problems, posted = [], []
    for row in rows:
        # A row with more cells than columns has that problem alone: its cells are not
        # under their columns. A row with no report column filled is skipped.
        if not row.problems and any(row.cells.get(c) for c in REPORT_COLUMNS):
            commitment, values = _check_row(actor, row)
            if not row.problems:
                posted.append((row.number, commitment, values))
        problems += [(row.number, column, message) for column, message in row.problems]
    if problems:
        raise ImportRefused(str(_l("Nothing was imported: correct the rows listed.")), problems)
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
