"""Reviewing leadership applications and deciding on them, called directly: scores per
criterion, conflicts of interest, the weighted score, the queue, the decision."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene import policy
from convene.extensions import db
from convene.models import (
    ApplicationReview,
    ApplicationStatus,
    AuditEntry,
    CallStatus,
    CriterionScore,
    Leadership,
    ParticipantStatus,
)
from convene.services import InvalidInput, PermissionDenied
from convene.services.leaders import decisions, reviews
from convene.services.leaders.states import IllegalTransition

from .conftest import outbox_to
from .factories import make_member
from .leaders_data import LeaderCast, make_application, make_call


@pytest.fixture
def cast(app):
    return LeaderCast()


@pytest.fixture
def call(app):
    return make_call()


def all_scores(call, score=4):
    return {c.id: (score, "") for c in call.criteria}


def review_count() -> int:
    return db.session.scalar(select(func.count(ApplicationReview.id)))


# Scores ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 6, -1, "4", 4.5, None, True])
def test_scores_outside_one_to_five_are_refused_per_criterion(cast, call, bad):
    application = make_application(call, cast)
    first, second = call.criteria
    with pytest.raises(InvalidInput) as refused:
        reviews.save_review(
            cast.reviewer, application, {first.id: (bad, ""), second.id: (5, "")}, "Fine."
        )
    assert set(refused.value.fields) == {f"scores.{first.id}"}
    db.session.rollback()
    assert review_count() == 0


def test_every_criterion_must_be_scored(cast, call):
    application = make_application(call, cast)
    first, second = call.criteria
    with pytest.raises(InvalidInput) as refused:
        reviews.save_review(cast.reviewer, application, {first.id: (3, "")})
    assert set(refused.value.fields) == {f"scores.{second.id}"}
    with pytest.raises(InvalidInput) as refused:
        reviews.save_review(cast.reviewer, application, {**all_scores(call), 999999: (3, "")})
    assert set(refused.value.fields) == {"scores.999999"}


def test_the_first_review_puts_the_application_in_review(cast, call):
    application = make_application(call, cast)
    review = reviews.save_review(cast.reviewer, application, all_scores(call), "Strong.")
    db.session.commit()
    assert application.status is ApplicationStatus.IN_REVIEW
    assert [(t.from_status, t.to_status) for t in application.transitions] == [
        (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
    ]
    assert {s.criterion_id: s.score for s in review.scores} == {c.id: 4 for c in call.criteria}


def test_a_review_is_revised_not_repeated_until_the_decision(cast, call):
    application = make_application(call, cast)
    first, second = call.criteria
    reviews.save_review(cast.reviewer, application, all_scores(call, 2))
    db.session.commit()
    reviews.save_review(
        cast.reviewer, application, {first.id: (5, "Better"), second.id: (1, "")}, "Revised."
    )
    db.session.commit()
    assert review_count() == 1
    review = db.session.scalar(select(ApplicationReview))
    assert {s.criterion_id: (s.score, s.comment) for s in review.scores} == {
        first.id: (5, "Better"),
        second.id: (1, ""),
    }
    assert db.session.scalar(select(func.count(CriterionScore.id))) == 2
    decisions.decide(cast.admin, application, "decline", "Not this time.")
    db.session.commit()
    with pytest.raises(IllegalTransition):
        reviews.save_review(cast.reviewer, application, all_scores(call, 5))
    db.session.rollback()
    assert {s.score for s in db.session.scalar(select(ApplicationReview)).scores} == {5, 1}


def test_a_reviewer_whose_member_is_in_the_group_cannot_review_it(cast, call):
    application = make_application(call, cast)
    with pytest.raises(PermissionDenied) as refused:
        reviews.save_review(cast.conflicted, application, all_scores(call))
    assert "conflict of interest" in refused.value.message
    assert review_count() == 0
    # A member that declined to join is not in the group: no conflict any more.
    person = next(p for p in application.people if p.member_id == cast.government.id)
    person.status = ParticipantStatus.DECLINED
    db.session.commit()
    assert policy.can_review_application(cast.conflicted, application)


def test_an_individual_in_the_group_cannot_review_it(cast, call):
    from convene.models import Role, UserRole

    cast.activist.roles = [UserRole(role=Role.REVIEWER)]
    application = make_application(call, cast)
    assert policy.is_leadership_reviewer(cast.activist)
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        reviews.save_review(cast.activist, application, all_scores(call))


def test_only_reviewers_and_administrators_review(cast, call):
    application = make_application(call, cast)
    with pytest.raises(PermissionDenied, match="Only Steering-Committee reviewers"):
        reviews.save_review(cast.other_focal, application, all_scores(call))
    reviews.save_review(cast.admin, application, all_scores(call))
    assert policy.review_application_refusal(cast.reviewer, application) is None


def test_a_draft_is_not_reviewed(cast, call):
    application = make_application(call, cast, status=ApplicationStatus.DRAFT)
    with pytest.raises(IllegalTransition):
        reviews.save_review(cast.reviewer, application, all_scores(call))
    assert "submitted or in review" in policy.review_application_refusal(cast.reviewer, application)


# The weighted score ------------------------------------------------------------------


def by_hand(call, *score_sets) -> float:
    """The mean over reviewers of Σ weight × score / Σ weight, from the test's own data."""
    weights = {c.id: c.weight for c in call.criteria}
    per_reviewer = [
        sum(weights[cid] * score for cid, score in scores.items()) / sum(weights.values())
        for scores in score_sets
    ]
    return sum(per_reviewer) / len(per_reviewer)


def test_the_weighted_score_is_the_mean_of_each_reviewers_weighted_score(cast):
    call = make_call(criteria=(("Record", 3), ("Reach", 1), ("Plan", 2)))
    application = make_application(call, cast)
    assert reviews.weighted_score(application) is None
    record, reach, plan = (c.id for c in call.criteria)
    first = {record: 5, reach: 2, plan: 3}
    second = {record: 3, reach: 4, plan: 1}
    for reviewer, scores in ((cast.reviewer, first), (cast.second_reviewer, second)):
        reviews.save_review(reviewer, application, {k: (v, "") for k, v in scores.items()})
    db.session.commit()
    expected = by_hand(call, first, second)
    assert reviews.weighted_score(application) == pytest.approx(expected)
    # A weighted mean, not the plain one: the weights change the figure.
    plain = sum(first.values()) / 6 + sum(second.values()) / 6
    assert expected != pytest.approx(plain)


def test_only_the_current_rounds_reviews_count(cast, call):
    application = make_application(call, cast)
    reviews.save_review(cast.reviewer, application, all_scores(call, 1))
    decisions.decide(cast.admin, application, "request_changes", "Say more about reach.")
    application.status, application.round = ApplicationStatus.SUBMITTED, 2
    db.session.commit()
    assert reviews.weighted_score(application) is None
    reviews.save_review(cast.reviewer, application, all_scores(call, 5))
    db.session.commit()
    assert reviews.weighted_score(application) == pytest.approx(5.0)
    assert review_count() == 2


# The queue and the comparison ------------------------------------------------------


@contextmanager
def counted():
    seen = []

    def listener(*args):
        seen.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)


def queue_statements(cast, call, n: int) -> int:
    for _ in range(n):
        application = make_application(call, cast)
        reviews.save_review(cast.reviewer, application, all_scores(call))
    db.session.commit()
    db.session.expire_all()
    with counted() as seen:
        rows = reviews.review_queue(cast.second_reviewer, call)
        for row in rows:
            (
                row.application.call.title,
                [p.member and p.member.name for p in row.application.people],
            )
    assert len(rows) == db.session.scalar(
        select(func.count()).select_from(ApplicationReview.__table__)
    )
    return len(seen)


def test_the_review_queue_takes_as_many_queries_for_many_applications_as_for_few(cast, call):
    few = queue_statements(cast, call, 2)
    many = queue_statements(cast, call, 10)
    assert few == many


def test_the_queue_shows_scores_conflicts_and_my_review(cast, call):
    mine = make_application(call, cast)
    theirs = make_application(call, cast, members=[cast.other], individual=False)
    make_application(call, cast, status=ApplicationStatus.DRAFT)
    reviews.save_review(cast.reviewer, theirs, all_scores(call, 3))
    db.session.commit()
    rows = {row.application.id: row for row in reviews.review_queue(cast.conflicted)}
    assert set(rows) == {mine.id, theirs.id}
    assert rows[mine.id].conflict and not rows[theirs.id].conflict
    assert rows[theirs.id].weighted_score == pytest.approx(3.0)
    assert rows[theirs.id].review_count == 1 and rows[mine.id].review_count == 0
    assert reviews.review_queue(cast.reviewer)[1].my_review is not None
    with pytest.raises(PermissionDenied):
        reviews.review_queue(cast.gov_focal)


def test_the_comparison_puts_a_calls_applications_side_by_side(cast):
    call = make_call(criteria=(("Record", 3), ("Reach", 1)))
    record, reach = (c.id for c in call.criteria)
    weak, strong, unreviewed = (make_application(call, cast) for _ in range(3))
    reviews.save_review(cast.reviewer, weak, {record: (2, ""), reach: (4, "")})
    reviews.save_review(cast.second_reviewer, weak, {record: (3, ""), reach: (5, "")})
    reviews.save_review(cast.reviewer, strong, {record: (5, ""), reach: (1, "")})
    db.session.commit()
    found = reviews.comparison(cast.admin, call)
    assert [c.id for c in found.criteria] == [record, reach]
    assert [row.application.id for row in found.rows] == [strong.id, weak.id, unreviewed.id]
    assert found.rows[1].means == {record: pytest.approx(2.5), reach: pytest.approx(4.5)}
    assert found.rows[1].weighted_score == pytest.approx((3 * 2.5 + 4.5) / 4)
    assert found.rows[2].weighted_score is None and found.rows[2].means == {}


# The decision ----------------------------------------------------------------------


def test_only_administrators_decide(cast, call):
    application = make_application(call, cast)
    for person in (cast.reviewer, cast.gov_focal):
        with pytest.raises(PermissionDenied, match="Only administrators"):
            decisions.decide(person, application, "appoint", "Yes.")
    assert application.status is ApplicationStatus.SUBMITTED
    assert db.session.scalar(select(func.count(Leadership.id))) == 0


def test_a_decision_needs_a_known_decision_and_a_comment(cast, call):
    application = make_application(call, cast)
    with pytest.raises(InvalidInput) as refused:
        decisions.decide(cast.admin, application, "crown", " ")
    assert set(refused.value.fields) == {"decision", "comment"}
    assert application.status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    "status", [ApplicationStatus.DRAFT, ApplicationStatus.APPOINTED, ApplicationStatus.WITHDRAWN]
)
def test_decisions_are_taken_only_in_review_or_submitted(cast, call, status):
    application = make_application(call, cast, status=status)
    with pytest.raises(IllegalTransition):
        decisions.decide(cast.admin, application, "decline", "No.")


def test_appointing_makes_the_leadership_for_the_calls_term(cast, call):
    invited = make_member(name="Still Thinking")
    application = make_application(call, cast, name="Open Justice Alliance")
    application.people[0].on_steering_committee = True
    # An invited member that never confirmed does not take part, so it is not appointed.
    from convene.models import ApplicationPerson, Sector

    application.people.append(ApplicationPerson(member=invited, sector=Sector.OTHER, country="FR"))
    db.session.commit()
    leadership = decisions.decide(cast.admin, application, "appoint", "A strong group.")
    db.session.commit()
    assert application.status is ApplicationStatus.APPOINTED
    assert application.decided_at is not None
    assert application.decision_comment == "A strong group."
    assert [t.to_status for t in application.transitions] == [
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.APPOINTED,
    ]
    assert leadership.slug == "open-justice-alliance"
    assert (leadership.name, leadership.theme_id, leadership.application_id) == (
        "Open Justice Alliance",
        call.theme_id,
        application.id,
    )
    assert (leadership.term_starts_on, leadership.term_ends_on) == (
        call.term_starts_on,
        call.term_ends_on,
    )
    people = {(p.member_id, p.name): p for p in leadership.people}
    assert set(people) == {
        (cast.government.id, None),
        (cast.civil_society.id, None),
        (None, "Ana Activist"),
    }
    assert people[(cast.government.id, None)].on_steering_committee
    activist = people[(None, "Ana Activist")]
    assert (activist.user_id, activist.country, activist.shown_publicly) == (
        cast.activist.id,
        "BR",
        False,
    )
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "leadership_application.decided")
    )
    assert entry.details == {"decision": "appointed", "leadership": "open-justice-alliance"}
    # The group hears of each move, the decision last, with its comment (states.transition).
    for person in (cast.gov_focal, cast.cso_focal, cast.activist):
        messages = outbox_to(person.email)
        assert {m.kind for m in messages} == {"leadership_application_status"}
        assert "appointed" in messages[-1].body_text.lower()
    assert outbox_to(cast.conflicted.email)[-1].kind == "leadership_application_status"


def test_a_second_leadership_of_the_same_name_gets_its_own_slug(cast, call):
    for _ in range(2):
        application = make_application(call, cast, name="Open Justice Alliance")
        decisions.decide(cast.admin, application, "appoint", "Yes.")
    db.session.commit()
    slugs = set(db.session.scalars(select(Leadership.slug)))
    assert slugs == {"open-justice-alliance", "open-justice-alliance-2"}


def test_declining_and_requesting_changes(cast, call):
    declined = make_application(call, cast)
    changed = make_application(call, cast)
    assert decisions.decide(cast.admin, declined, "decline", "Not now.") is None
    assert decisions.decide(cast.admin, changed, "request_changes", "Say more.") is None
    db.session.commit()
    assert declined.status is ApplicationStatus.DECLINED and declined.decided_at
    assert changed.status is ApplicationStatus.CHANGES_REQUESTED
    assert changed.decided_at is None and changed.decision_comment == "Say more."
    assert db.session.scalar(select(func.count(Leadership.id))) == 0
    body = outbox_to(cast.gov_focal.email)[-1].body_text
    assert "Changes requested" in body and "Say more." in body


def test_a_closed_call_is_decided_once_every_submitted_application_is(cast):
    call = make_call(status=CallStatus.CLOSED)
    first, second = make_application(call, cast), make_application(call, cast)
    make_application(call, cast, status=ApplicationStatus.DRAFT)
    make_application(call, cast, status=ApplicationStatus.WITHDRAWN)
    decisions.decide(cast.admin, first, "appoint", "Yes.")
    assert call.status is CallStatus.CLOSED
    decisions.decide(cast.admin, second, "request_changes", "More.")
    assert call.status is CallStatus.CLOSED
    second.status = ApplicationStatus.IN_REVIEW
    decisions.decide(cast.admin, second, "decline", "No.")
    db.session.commit()
    assert call.status is CallStatus.DECIDED and call.decided_at is not None


def test_an_open_call_waits_for_its_closing(cast, call):
    decisions.decide(cast.admin, make_application(call, cast), "decline", "No.")
    assert call.status is CallStatus.OPEN


def test_an_administrator_with_a_conflict_does_not_decide(cast, call):
    from .factories import make_focal_point

    application = make_application(call, cast)
    make_focal_point(cast.civil_society, cast.admin)
    assert not policy.can_decide_application(cast.admin, application)
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        decisions.decide(cast.admin, application, "appoint", "Mine.")
    assert policy.can_decide_application(policy.SYSTEM, application)
