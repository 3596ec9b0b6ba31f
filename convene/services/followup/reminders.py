"""Reminders: the weekly e-mail about commitments due soon or overdue."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Commitment, FocalPoint, Member, User, utcnow
from ...urls import external_url
from .. import mail
from .progress import CLOSED, self_reported

REMIND_EVERY = timedelta(days=7)


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
