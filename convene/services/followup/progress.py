"""Progress on a commitment: self-reported updates, independent assessment, and the
status marks read from them. Nothing is overwritten: updates and assessments are added."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from ... import policy
from ...extensions import db
from ...models import Assessment, Commitment, CommitmentStatus, ProgressUpdate, utcnow
from ...policy import Actor
from .. import Checks, Conflict, audit

CLOSED = frozenset({CommitmentStatus.COMPLETED, CommitmentStatus.WITHDRAWN})


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
            checks.add(name, _l("Links must start with https:// or http://."))
            break
    return cleaned[:20]


def _status(value: str, checks: Checks, name: str = "status") -> CommitmentStatus | None:
    try:
        return CommitmentStatus(value)
    except ValueError:
        checks.add(name, _l("Choose a status from the scale."))
        return None


def clean_update(data: UpdateInput) -> dict:
    """A report's checked values, whatever it is about; InvalidInput naming every field
    that is wrong."""
    checks = Checks()
    status = _status(data.status, checks)
    links = _http_links(data.evidence_links, checks, "evidence_links")
    narrative = (data.narrative or "").strip()
    if len(narrative) > 20_000:
        checks.add("narrative", _l("Keep this under 20,000 characters."))
    reported_on = data.reported_on or utcnow().date()
    if reported_on > utcnow().date():
        checks.add("reported_on", _l("A report cannot be dated in the future."))
    checks.done()
    return {
        "status": status,
        "narrative": narrative,
        "evidence_links": links,
        "reported_on": reported_on,
    }


def require_reportable(actor: Actor, commitment: Commitment) -> None:
    """PermissionDenied unless policy lets the person report on it; Conflict until approved."""
    policy.require_report_progress(actor, commitment)
    if commitment.approved_at is None:
        raise Conflict(str(_l("This commitment awaits an organiser's approval.")))


def post_update(actor: Actor, commitment: Commitment, data: UpdateInput) -> ProgressUpdate:
    """The owner member's focal points report progress; every report is kept, at its date.
    One dated before the latest report is history: `history_note` says so to the person."""
    require_reportable(actor, commitment)
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
        checks.add("justification", _l("Justify the rating."))
    checks.done()
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
