"""Reviewing leadership applications: scores per criterion, the weighted score, the queue
and the side-by-side comparison of one call's applications.

A review scores every criterion of the call from 1 to 5. Its weighted score is
Σ weight × score / Σ weight; an application's is the mean of its reviews' in the current
round (a resubmission after changes is judged afresh).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import (
    ApplicationPerson,
    ApplicationReview,
    ApplicationStatus,
    CallCriterion,
    CriterionScore,
    LeadershipApplication,
    LeadershipCall,
    User,
)
from ...policy import Actor
from .. import Checks
from .states import IllegalTransition, lock, transition

MAX_COMMENT = 5000
# Applications a comparison shows: every one that reached the reviewers.
COMPARED = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.CHANGES_REQUESTED,
    ApplicationStatus.APPOINTED,
    ApplicationStatus.DECLINED,
}

Scores = dict[int, tuple[int, str]]


def current_review(user: Actor, application: LeadershipApplication) -> ApplicationReview | None:
    """`user`'s review of the application's current round, if they wrote one."""
    return next(
        (
            r
            for r in application.reviews
            if r.reviewer_id == user.id and r.round == application.round
        ),
        None,
    )


def _checked_scores(call: LeadershipCall, scores: Scores, comment: str) -> dict[int, tuple]:
    """Every criterion's score (1 to 5) and comment; InvalidInput naming each wrong one."""
    checks = Checks()
    cleaned = {}
    for criterion in call.criteria:
        score, note = scores.get(criterion.id, (None, ""))
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            checks.add(f"scores.{criterion.id}", _l("Score from 1 to 5."))
        elif len(note or "") > MAX_COMMENT:
            checks.add(
                f"scores.{criterion.id}", _l("Keep this under %(n)d characters.", n=MAX_COMMENT)
            )
        else:
            cleaned[criterion.id] = (score, (note or "").strip())
    known = {c.id for c in call.criteria}
    for criterion_id in scores.keys() - known:
        checks.add(f"scores.{criterion_id}", _l("This call has no such criterion."))
    if len(comment or "") > MAX_COMMENT:
        checks.add("comment", _l("Keep this under %(n)d characters.", n=MAX_COMMENT))
    checks.done(_l("Please correct the review."))
    return cleaned


def save_review(
    actor: User, application: LeadershipApplication, scores: Scores, comment: str = ""
) -> ApplicationReview:
    """Create or revise `actor`'s review of the current round, scoring every criterion;
    the first review puts a submitted application in review."""
    lock(application)
    policy.require_review_application(actor, application)
    if application.status not in policy.APPLICATION_REVIEWABLE:
        raise IllegalTransition(
            str(_l("Reviews are open only while an application is submitted or in review."))
        )
    cleaned = _checked_scores(application.call, scores, comment)
    review = current_review(actor, application)
    if review is None:
        review = ApplicationReview(reviewer_id=actor.id, round=application.round)
        application.reviews.append(review)
    by_criterion = {s.criterion_id: s for s in review.scores}
    for criterion_id, (score, note) in cleaned.items():
        row = by_criterion.get(criterion_id)
        if row is None:
            review.scores.append(
                CriterionScore(criterion_id=criterion_id, score=score, comment=note)
            )
        else:
            row.score, row.comment = score, note
    review.comment = (comment or "").strip()
    if application.status is ApplicationStatus.SUBMITTED:
        transition(application, actor, {ApplicationStatus.SUBMITTED}, ApplicationStatus.IN_REVIEW)
    return review


# Scores ----------------------------------------------------------------------------


def _current_round(query):
    """Only the reviews of each application's current round."""
    return query.join(
        LeadershipApplication,
        (LeadershipApplication.id == ApplicationReview.application_id)
        & (LeadershipApplication.round == ApplicationReview.round),
    )


def weighted_scores(application_ids: list[int]) -> dict[int, tuple[int, float]]:
    """Per application: how many reviews in its current round, and the mean of their
    weighted scores; in one query, whatever the number of applications."""
    if not application_ids:
        return {}
    weighted = func.sum(CallCriterion.weight * CriterionScore.score)
    per_review = (
        _current_round(
            select(
                ApplicationReview.application_id.label("application_id"),
                (cast(weighted, Float) / func.sum(CallCriterion.weight)).label("value"),
            )
        )
        .join(CriterionScore, CriterionScore.review_id == ApplicationReview.id)
        .join(CallCriterion, CallCriterion.id == CriterionScore.criterion_id)
        .where(ApplicationReview.application_id.in_(application_ids))
        .group_by(ApplicationReview.id, ApplicationReview.application_id)
        .subquery()
    )
    rows = db.session.execute(
        select(per_review.c.application_id, func.count(), func.avg(per_review.c.value)).group_by(
            per_review.c.application_id
        )
    )
    return {row[0]: (row[1], float(row[2])) for row in rows}


def weighted_score(application: LeadershipApplication) -> float | None:
    """The mean over the current round's reviewers of Σ weight × score / Σ weight; None
    before the first review."""
    found = weighted_scores([application.id]).get(application.id)
    return found[1] if found else None


def _criterion_means(application_ids: list[int]) -> dict[int, dict[int, float]]:
    """Per application, per criterion, the mean score of the current round, in one query."""
    if not application_ids:
        return {}
    rows = db.session.execute(
        _current_round(
            select(
                ApplicationReview.application_id,
                CriterionScore.criterion_id,
                func.avg(CriterionScore.score),
            )
        )
        .join(CriterionScore, CriterionScore.review_id == ApplicationReview.id)
        .where(ApplicationReview.application_id.in_(application_ids))
        .group_by(ApplicationReview.application_id, CriterionScore.criterion_id)
    )
    means: dict[int, dict[int, float]] = {}
    for application_id, criterion_id, mean in rows:
        means.setdefault(application_id, {})[criterion_id] = float(mean)
    return means


# The queue and the comparison ------------------------------------------------------


@dataclass
class QueueRow:
    application: LeadershipApplication
    review_count: int
    weighted_score: float | None
    # The reader is in the group, or speaks for a member in it: they may not review it.
    conflict: bool
    my_review: ApplicationReview | None


def review_queue(actor: User, call: LeadershipCall | None = None) -> list[QueueRow]:
    """Applications submitted or in review (of `call`, if given), the oldest submission
    first, with their weighted scores; in a constant number of queries."""
    policy.require_see_application_queue(actor)
    query = select(LeadershipApplication).where(
        LeadershipApplication.status.in_(policy.APPLICATION_REVIEWABLE)
    )
    if call is not None:
        query = query.where(LeadershipApplication.call_id == call.id)
    applications = db.session.scalars(
        query.options(
            selectinload(LeadershipApplication.call),
            selectinload(LeadershipApplication.people).selectinload(ApplicationPerson.member),
        ).order_by(LeadershipApplication.submitted_at.nulls_last(), LeadershipApplication.id)
    ).all()
    ids = [a.id for a in applications]
    scores = weighted_scores(ids)
    mine = {
        r.application_id: r
        for r in db.session.scalars(
            _current_round(select(ApplicationReview)).where(
                ApplicationReview.reviewer_id == actor.id,
                ApplicationReview.application_id.in_(ids),
            )
        )
    }
    my_members = policy.member_ids_of(actor)
    return [
        QueueRow(
            application=a,
            review_count=scores.get(a.id, (0, None))[0],
            weighted_score=scores.get(a.id, (0, None))[1],
            conflict=policy.in_group(my_members, actor.id, a),
            my_review=mine.get(a.id),
        )
        for a in applications
    ]


@dataclass
class ComparisonRow:
    application: LeadershipApplication
    review_count: int
    # criterion id → the mean score of the current round (missing: not scored yet)
    means: dict[int, float]
    weighted_score: float | None


@dataclass
class Comparison:
    call: LeadershipCall
    criteria: list[CallCriterion]
    rows: list[ComparisonRow]


def comparison(actor: User, call: LeadershipCall) -> Comparison:
    """The call's reviewed applications side by side: each criterion's mean score and the
    weighted score, the highest first, the unreviewed last."""
    policy.require_see_application_queue(actor)
    applications = db.session.scalars(
        select(LeadershipApplication)
        .where(
            LeadershipApplication.call_id == call.id,
            LeadershipApplication.status.in_(COMPARED),
        )
        .order_by(LeadershipApplication.id)
    ).all()
    ids = [a.id for a in applications]
    scores, means = weighted_scores(ids), _criterion_means(ids)
    rows = [
        ComparisonRow(
            application=a,
            review_count=scores.get(a.id, (0, None))[0],
            means=means.get(a.id, {}),
            weighted_score=scores.get(a.id, (0, None))[1],
        )
        for a in applications
    ]
    rows.sort(key=lambda row: (row.weighted_score is None, -(row.weighted_score or 0)))
    return Comparison(call=call, criteria=list(call.criteria), rows=rows)
