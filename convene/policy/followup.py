"""Follow-up: who records, approves, sees, reports on and assesses commitments.

A commitment belongs to a member: that member's focal points report its progress; the
event's organisers record and approve commitments; independent assessors rate them, never
for a member they speak for.
"""

from flask_babel import lazy_gettext as _l

from ..models import Commitment, Event, Member, Role
from .events import can_manage_event, can_see_event
from .people import Actor, is_signed_in, member_ids_of, refuse_unless, refuse_with


def hosts_spoken_for(user: Actor | None, event: Event) -> list[Member]:
    """The event's hosts that `user` speaks for."""
    mine = member_ids_of(user)
    return [host for host in event.hosts if host.id in mine]


def can_add_commitment(user: Actor | None, event: Event, member_id: int | None) -> bool:
    """Organisers record commitments for any member; a host's focal point proposes one for
    that host, which then awaits an organiser's approval."""
    if can_manage_event(user, event):
        return True
    return bool(member_id) and any(h.id == member_id for h in hosts_spoken_for(user, event))


def require_add_commitment(user: Actor | None, event: Event, member_id: int | None) -> None:
    reason = _l(
        "Only the event's organisers or the owner member's focal points can add commitments."
    )
    refuse_unless(can_add_commitment(user, event, member_id), reason)


def can_approve_commitment(user: Actor | None, commitment: Commitment) -> bool:
    return can_manage_event(user, commitment.event)


def require_approve_commitment(user: Actor | None, commitment: Commitment) -> None:
    refuse_unless(
        can_approve_commitment(user, commitment),
        _l("Only the event's organisers approve commitments."),
    )


def can_see_commitment(user: Actor | None, commitment: Commitment) -> bool:
    """An approved commitment is as public as its event; one awaiting approval only for the
    event's organisers and the owner member's focal points."""
    if not can_see_event(user, commitment.event):
        return False
    return commitment.approved_at is not None or (
        can_manage_event(user, commitment.event) or commitment.member_id in member_ids_of(user)
    )


def can_report_progress(user: Actor | None, commitment: Commitment) -> bool:
    """The owner member's focal points report (once it is approved: services.followup)."""
    return commitment.member_id in member_ids_of(user)


def require_report_progress(user: Actor | None, commitment: Commitment) -> None:
    refuse_unless(
        can_report_progress(user, commitment),
        _l("Only the owner member's focal points report progress."),
    )


def assessment_refusal(user: Actor | None, commitment: Commitment) -> str | None:
    """Why `user` may not assess `commitment`, or None if they may."""
    if not (is_signed_in(user) and user.has_role(Role.ASSESSOR)):
        return str(_l("Only independent assessors assess commitments."))
    if commitment.member_id in member_ids_of(user):
        return str(_l("You speak for the owner member: you cannot assess its commitments."))
    return None


def can_assess(user: Actor | None, commitment: Commitment) -> bool:
    return assessment_refusal(user, commitment) is None


def require_assess(user: Actor | None, commitment: Commitment) -> None:
    refuse_with(assessment_refusal(user, commitment))
