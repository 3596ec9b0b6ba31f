"""Reviewing proposals and deciding on them; accepting one creates its event."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    EventFormat,
    Member,
    Proposal,
    ProposalHost,
    ProposalStatus,
    Recommendation,
    Review,
    Theme,
    User,
    utcnow,
)
from ..policy import Actor
from . import Checks, InvalidInput, PermissionDenied, audit, choice
from .events import create_event_from_proposal
from .proposals.input import MAX_COMMENT, required_text
from .proposals.states import IllegalTransition, lock, transition
from .regions import countries_in

RUBRIC = ("relevance", "ambition", "co_creation", "feasibility")


def start_review(actor: Actor, proposal: Proposal) -> None:
    transition(proposal, actor, {ProposalStatus.SUBMITTED}, ProposalStatus.IN_REVIEW)


@dataclass
class ReviewInput:
    recommendation: str
    relevance: int
    ambition: int
    co_creation: int
    feasibility: int
    comment: str = ""


def current_review(user: Actor, proposal: Proposal) -> Review | None:
    """`user`'s review of the proposal's current round, if they wrote one."""
    return next(
        (
            r
            for r in proposal.reviews
            if r.reviewer_id == user.id and r.round == proposal.review_round
        ),
        None,
    )


def save_review(actor: User, proposal: Proposal, data: ReviewInput) -> Review:
    """Create or revise `actor`'s review of the current round, never an earlier round's;
    the first review puts the proposal in review."""
    lock(proposal)
    refusal = policy.review_refusal(actor, proposal)
    if refusal:
        # A reviewer is refused by the proposal's state, which a 409 says; anyone else by the rule.
        if proposal.status not in policy.REVIEWABLE and policy.is_reviewer(actor):
            raise IllegalTransition(refusal)
        raise PermissionDenied(refusal)
    checks = Checks()
    checks.run(
        "recommendation",
        lambda: choice(
            Recommendation, data.recommendation, "recommendation", _l("Choose a recommendation.")
        ),
    )
    for name in RUBRIC:
        value = getattr(data, name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            checks.add(name, _l("Score from 1 to 5."))
    if len(data.comment or "") > MAX_COMMENT:
        checks.add("comment", _l("Keep this under %(n)d characters.", n=MAX_COMMENT))
    recommendation = checks.done(_l("Please correct the review."))["recommendation"]
    review = current_review(actor, proposal)
    if review is None:
        review = Review(
            reviewer_id=actor.id,
            round=proposal.review_round,
            recommendation=recommendation,
            relevance=0,
            ambition=0,
            co_creation=0,
            feasibility=0,
        )
        proposal.reviews.append(review)
    review.recommendation = recommendation
    for name in RUBRIC:
        setattr(review, name, getattr(data, name))
    review.comment = (data.comment or "").strip()
    if proposal.status is ProposalStatus.SUBMITTED:
        start_review(actor, proposal)
    return review


def _decided(actor: User, proposal: Proposal, new: ProposalStatus, comment: str) -> None:
    """The checks and record every decision shares."""
    lock(proposal)
    policy.require_decide(actor, proposal)
    comment = required_text("comment", comment, _l("Explain the decision to the hosts."))
    if proposal.status is ProposalStatus.SUBMITTED:
        start_review(actor, proposal)
    transition(proposal, actor, {ProposalStatus.IN_REVIEW}, new, comment)
    proposal.decision_comment = comment[:MAX_COMMENT]
    summary = f"decided on “{proposal.title}”: {new.value.replace('_', ' ')}"
    audit.record(actor, "proposal.decided", "proposal", proposal.id, summary, {"decision": new})


def accept(actor: User, proposal: Proposal, comment: str):
    """in_review → accepted; creates and returns the proposal's event, in draft."""
    _decided(actor, proposal, ProposalStatus.ACCEPTED, comment)
    proposal.decided_at = utcnow()
    return create_event_from_proposal(proposal)


def decline(actor: User, proposal: Proposal, comment: str) -> None:
    """in_review → declined."""
    _decided(actor, proposal, ProposalStatus.DECLINED, comment)
    proposal.decided_at = utcnow()


def request_changes(actor: User, proposal: Proposal, comment: str) -> None:
    """in_review → changes_requested: back to the proposer, who may submit again."""
    _decided(actor, proposal, ProposalStatus.CHANGES_REQUESTED, comment)


DECISIONS = {"accept": accept, "decline": decline, "request_changes": request_changes}


def decide(actor: User, proposal: Proposal, decision: str, comment: str = ""):
    """One of the three decisions by name, as the API and the form send it."""
    if decision not in DECISIONS:
        policy.require_decide(actor, proposal)
        raise InvalidInput(
            str(_l("Unknown decision.")),
            {"decision": [str(_l("Choose accept, decline or request changes."))]},
        )
    return DECISIONS[decision](actor, proposal, comment)


# The review queue -------------------------------------------------------------------


@dataclass
class QueueRow:
    proposal: Proposal
    review_count: int
    average: float | None
    averages: dict[str, float | None]
    conflict: bool
    my_review: Review | None


@dataclass
class QueueFilters:
    status: str | None = None
    theme_id: int | None = None
    region: str | None = None
    format: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None


def review_queue(actor: User, filters: QueueFilters) -> list[QueueRow]:
    """Submitted and later proposals `actor` may review, with their scores, in 3 queries."""
    policy.require_see_review_queue(actor)
    query = select(Proposal).where(Proposal.status != ProposalStatus.DRAFT)
    if not policy.is_reviewer(actor):
        themes = policy.reviewable_theme_ids(actor)
        query = query.where(Proposal.themes.any(Theme.id.in_(themes)))
    query = filter_proposals(query, filters)
    proposals = db.session.scalars(
        query.options(
            selectinload(Proposal.hosts).selectinload(ProposalHost.member),
            selectinload(Proposal.themes),
            selectinload(Proposal.member),
        ).order_by(Proposal.submitted_at.desc().nulls_last(), Proposal.id.desc())
    ).all()
    scores = _scores([p.id for p in proposals])
    mine = {
        r.proposal_id: r
        for r in db.session.scalars(
            _current_round(select(Review)).where(Review.reviewer_id == actor.id)
        )
    }
    my_members = policy.member_ids_of(actor)
    rows = []
    for proposal in proposals:
        count, averages = scores.get(proposal.id, (0, dict.fromkeys(RUBRIC)))
        values = [v for v in averages.values() if v is not None]
        rows.append(
            QueueRow(
                proposal=proposal,
                review_count=count,
                average=sum(values) / len(values) if values else None,
                averages=averages,
                conflict=bool(my_members & {h.member_id for h in proposal.hosts}),
                my_review=mine.get(proposal.id),
            )
        )
    return rows


def filter_proposals(query, filters: QueueFilters):
    if filters.status:
        query = query.where(Proposal.status == ProposalStatus(filters.status))
    if filters.theme_id:
        query = query.where(
            Proposal.themes.any(
                or_(Theme.id == filters.theme_id, Theme.parent_id == filters.theme_id)
            )
        )
    if filters.region:
        query = query.where(
            or_(
                Proposal.country.in_(countries_in(filters.region)),
                Proposal.member.has(Member.country.in_(countries_in(filters.region))),
            )
        )
    if filters.format:
        query = query.where(Proposal.format == EventFormat(filters.format))
    if filters.starts_after:
        query = query.where(Proposal.starts_at >= filters.starts_after)
    if filters.starts_before:
        query = query.where(Proposal.starts_at < filters.starts_before)
    return query


def _current_round(query):
    """Only the reviews of each proposal's current round: earlier rounds judged an earlier
    version of the proposal."""
    return query.join(
        Proposal,
        (Proposal.id == Review.proposal_id) & (Proposal.review_round == Review.round),
    )


def _scores(proposal_ids: list[int]) -> dict[int, tuple[int, dict[str, float | None]]]:
    if not proposal_ids:
        return {}
    columns = [func.avg(getattr(Review, name)) for name in RUBRIC]
    rows = db.session.execute(
        _current_round(select(Review.proposal_id, func.count(Review.id), *columns))
        .where(Review.proposal_id.in_(proposal_ids))
        .group_by(Review.proposal_id)
    )
    return {
        row[0]: (
            row[1],
            {
                name: float(v) if v is not None else None
                for name, v in zip(RUBRIC, row[2:], strict=True)
            },
        )
        for row in rows
    }


def visible_reviews(user: Actor, proposal: Proposal, only_round: int | None = None) -> list[Review]:
    """Every round's reviews (or one round's), the current round first, for reviewers,
    leaders and administrators; hosts see the decision only."""
    if policy.can_see_reviews(user, proposal):
        return sorted(
            (r for r in proposal.reviews if only_round in (None, r.round)),
            key=lambda r: (-r.round, r.id),
        )
    return []


def by_round(reviews: list[Review]) -> list[tuple[int, list[Review]]]:
    """`reviews` grouped by round, the latest round first, in the order given within one."""
    rounds: dict[int, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: -r.round):
        rounds.setdefault(review.round, []).append(review)
    return list(rounds.items())
