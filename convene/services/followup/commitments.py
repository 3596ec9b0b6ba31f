"""Commitments born at events: recording, approving and finding them."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import Commitment, Event, Member, Milestone, utcnow
from ...policy import Actor
from .. import Checks, audit, content
from ..events.checks import check_themes
from ..rows import get_visible
from ..validation import ONE_LINE_MESSAGE, is_one_line


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


def create_commitment(actor: Actor, event: Event, data: CommitmentInput) -> Commitment:
    """Organisers record commitments; an owner member's focal point may propose one for an
    event the member hosted, which waits for an organiser's approval."""
    policy.require_add_commitment(actor, event, data.member_id)
    checks = Checks()
    title = (data.title or "").strip()
    if not title or len(title) > 300:
        checks.add("title", _l("Give the commitment a title (at most 300 characters)."))
    elif not is_one_line(title):
        checks.add("title", ONE_LINE_MESSAGE)
    if data.member_id is None or db.session.get(Member, data.member_id) is None:
        checks.add("member_id", _l("Choose the member that commits."))
    event_day = event.starts_at.date()
    if data.due_date is None:
        checks.add("due_date", _l("Give a due date."))
    elif data.due_date < event_day:
        checks.add("due_date", _l("The due date cannot be before the event."))
    for position, (label, due) in enumerate(data.milestones):
        if not (label or "").strip() or due is None or due < event_day:
            checks.add(
                f"milestones.{position}",
                _l("Each milestone needs a title and a date after the event."),
            )
    reference = (data.action_plan_ref or "").strip() or None
    if reference and len(reference) > 500:
        checks.add("action_plan_ref", _l("Keep this under 500 characters."))
    checks.run("themes", lambda: check_themes(data.theme_ids))
    checks.run("translations", lambda: content.clean_translations(data.language, data.translations))
    values = checks.done()
    commitment = Commitment(
        event=event,
        member_id=data.member_id,
        title=title,
        description=(data.description or "").strip()[:20_000],
        due_date=data.due_date,
        action_plan_ref=reference,
        created_by_id=actor.id,
        approved_at=utcnow() if policy.can_manage_event(actor, event) else None,
        themes=values["themes"],
        language=data.language,
        translations=values["translations"],
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
    return get_visible(
        Commitment, commitment_id, actor, policy.can_see_commitment, _l("No such commitment.")
    )


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
