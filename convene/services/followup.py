"""Follow-up: commitments born at events, self-reported progress, independent assessment,
and reminders. Nothing here is ever overwritten: updates and assessments are added."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

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
    Role,
    User,
    utcnow,
)
from ..urls import external_url
from . import Checks, Conflict, InvalidInput, NotFound, PermissionDenied, audit, content
from .agenda_import import ImportRefused, decode
from .agenda_import import _reader as csv_reader
from .events import _themes as check_themes
from .events import can_see
from .outbox import queue_mail
from .participants import safe_cell
from .permissions import Actor
from .proposals import member_ids_of
from .registration import is_organiser
from .validation import ONE_LINE_MESSAGE, is_one_line

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


def took_part(user: Actor, event: Event, member_id: int) -> bool:
    """The person speaks for `member_id`, and that member hosted the event."""
    return member_id in member_ids_of(user) and any(h.id == member_id for h in event.hosts)


def create_commitment(actor: Actor, event: Event, data: CommitmentInput) -> Commitment:
    """Organisers record commitments; an owner member's focal point may propose one for an
    event the member hosted, which waits for an organiser's approval."""
    organiser = is_organiser(actor, event)
    if not organiser and not (data.member_id and took_part(actor, event, data.member_id)):
        raise PermissionDenied(
            str(
                _l(
                    "Only the event's organisers or the owner member's "
                    "focal points can add commitments."
                )
            )
        )
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
        approved_at=utcnow() if organiser else None,
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
    if not is_organiser(actor, commitment.event):
        raise PermissionDenied(str(_l("Only the event's organisers approve commitments.")))
    if commitment.approved_at is None:
        commitment.approved_at = utcnow()
        summary = f"approved commitment “{commitment.title}”"
        audit.record(actor, "commitment.approved", "commitment", commitment.id, summary)


def get_commitment(actor: Actor | None, commitment_id: int) -> Commitment:
    """An approved commitment of an event the actor can see (public once published), or one
    awaiting approval for those who may see it; NotFound for anyone else."""
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or not can_see(actor, commitment.event):
        raise NotFound(str(_l("No such commitment.")))
    if commitment.approved_at is None and not (
        is_organiser(actor, commitment.event) or commitment.member_id in member_ids_of(actor)
    ):
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
    if not is_organiser(actor, event):
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
    members = member_ids_of(actor)
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


def post_update(actor: Actor, commitment: Commitment, data: UpdateInput) -> ProgressUpdate:
    """The owner member's focal points report progress; every report is kept."""
    if commitment.member_id not in member_ids_of(actor):
        raise PermissionDenied(str(_l("Only the owner member's focal points report progress.")))
    if commitment.approved_at is None:
        raise Conflict(str(_l("This commitment awaits an organiser's approval.")))
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
    update = ProgressUpdate(
        author_id=actor.id,
        status=status,
        narrative=narrative,
        evidence_links=links,
        reported_on=reported_on,
    )
    commitment.updates.append(update)
    db.session.flush()
    return update


def assess(actor: Actor, commitment: Commitment, status: str, justification: str) -> Assessment:
    """An assessor rates completion; never someone who speaks for the owner member."""
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(Role.ASSESSOR)):
        raise PermissionDenied(str(_l("Only independent assessors assess commitments.")))
    if commitment.member_id in member_ids_of(actor):
        raise PermissionDenied(
            str(_l("You speak for the owner member: you cannot assess its commitments."))
        )
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


def self_reported(commitment: Commitment) -> CommitmentStatus:
    updates = sorted(commitment.updates, key=lambda u: (u.reported_on, u.id))
    return updates[-1].status if updates else CommitmentStatus.NOT_STARTED


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
            queue_mail(
                person.email,
                "commitment_reminder",
                _l("Overdue: %(title)s", title=commitment.title)
                if late
                else _l("Due soon: %(title)s", title=commitment.title),
                "commitment_reminder",
                locale=person.locale,
                user=person,
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
    """The commitments with their latest update and assessment, as spreadsheet-safe CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for c in commitments:
        latest = max(c.updates, key=lambda u: (u.reported_on, u.id), default=None)
        rating = c.assessments[-1] if c.assessments else None
        writer.writerow(
            [
                safe_cell(str(v)) if v is not None else ""
                for v in (
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
            ]
        )
    return out.getvalue()


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
    columns empty; spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(UPDATE_COLUMNS)
    for c in commitments_for(actor):
        if c.approved_at is not None:
            writer.writerow([c.id, safe_cell(c.title), "", "", "", ""])
    return out.getvalue()


def _commitment_in(actor: Actor, row: dict) -> Commitment | None:
    """The row's commitment if the person may see it, as on its page."""
    value = row.get("commitment_id", "")
    # isdecimal, not isdigit: int() refuses digits such as "²".
    if not (value.isdecimal() and int(value) < 2**31):
        return None
    try:
        return get_commitment(actor, int(value))
    except NotFound:
        return None


def _update_rows(text: str) -> list[dict]:
    """The CSV's rows keyed by lower-case column; ImportRefused for a file that is not
    CSV, has other columns, or too many rows."""
    if "\x00" in text:
        # UTF-16 ("Unicode text") or a binary file: nothing in it is a CSV row.
        raise ImportRefused(
            str(_l("This is not a CSV text file.")),
            [(0, "file", str(_l("Save the sheet as “CSV UTF-8” and upload that file.")))],
        )
    reader, rows = csv_reader(text), []
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [c for c in ("commitment_id", "status") if c not in header]
        # Spreadsheets often add nameless empty columns at the end: those are harmless.
        unknown = [c for c in header if c and c not in UPDATE_COLUMNS]
        if missing or unknown:
            raise ImportRefused(
                str(_l("The columns are not the ones expected.")),
                [(1, c, str(_l("This column is missing."))) for c in missing]
                + [(1, c, str(_l("Unknown column."))) for c in unknown],
            )
        reader.fieldnames = header
        for row in reader:
            rows.append(row)
    except csv.Error:
        # A runaway quote swallows the rest of the file into one oversized cell.
        raise ImportRefused(
            str(_l("The file cannot be read as CSV.")),
            # line_num stays 0 until the header row is read whole.
            [(len(rows) + 2 if reader.line_num else 1, "file", str(_l("Check its quotes.")))],
        ) from None
    if len(rows) > MAX_UPDATE_ROWS:
        limit = str(_l("At most %(n)d rows per file.", n=MAX_UPDATE_ROWS))
        raise ImportRefused(str(_l("Too many rows.")), [(MAX_UPDATE_ROWS + 2, "file", limit)])
    return rows


def import_updates(actor: Actor, content: bytes) -> list[ProgressUpdate]:
    """Many progress reports at once from a CSV (columns: commitment_id, status, narrative,
    evidence_links separated by spaces, reported_on YYYY-MM-DD; title is ignored). Rows
    with no report column filled are skipped; every other row is checked first, and
    ImportRefused lists the problems by row and column unless all are valid. On refusal
    the caller rolls back: nothing is saved."""
    problems, updates = [], []
    for number, raw in enumerate(_update_rows(decode(content)), start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if any((cell or "").strip() for cell in raw.get(None) or []):
            problems.append(
                (number, "file", str(_l("More cells than columns: put texts in quotes.")))
            )
            continue
        if not any(row.get(c) for c in REPORT_COLUMNS):
            continue
        commitment = _commitment_in(actor, row)
        if commitment is None:
            problems.append((number, "commitment_id", str(_l("No such commitment."))))
            continue
        try:
            reported = date.fromisoformat(row["reported_on"]) if row.get("reported_on") else None
        except ValueError:
            problems.append((number, "reported_on", str(_l("Give the date as YYYY-MM-DD."))))
            continue
        data = UpdateInput(
            status=row.get("status", ""),
            narrative=row.get("narrative", ""),
            evidence_links=row.get("evidence_links", "").split(),
            reported_on=reported,
        )
        try:
            with db.session.begin_nested():
                updates.append(post_update(actor, commitment, data))
        except InvalidInput as error:
            problems += [(number, name, m) for name, ms in error.fields.items() for m in ms]
        except (PermissionDenied, Conflict) as error:
            problems.append((number, "commitment_id", error.message))
    if problems:
        raise ImportRefused(str(_l("Nothing was imported: correct the rows listed.")), problems)
    if not updates:
        raise ImportRefused(
            str(_l("Nothing to import: no row reports progress.")),
            [(0, "status", str(_l("Fill in at least the status of each commitment to report.")))],
        )
    return updates
