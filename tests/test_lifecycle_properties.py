"""Random sequences of actions keep the rules of a proposal's life and of a commitment's
history (hypothesis): only the designed state changes happen, each is recorded once, an
accepted proposal has exactly one event, reviews only grow (a reviewer revises only their
own review of the current round), and nothing in a history is ever rewritten."""

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from convene import policy
from convene.extensions import db
from convene.models import (
    Event,
    ProposalStatus,
    ProposalTransition,
    Review,
)
from convene.services import DomainError, followup, proposals, reviews
from convene.services.followup import CommitmentInput, UpdateInput

from .conftest import _empty_database
from .factories import Cast, make_event, make_focal_point, make_member, make_proposal, make_user

S = ProposalStatus
OPEN = {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED}
# The life of a proposal, as DESIGN.md draws it.
GRAPH = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.IN_REVIEW, S.WITHDRAWN},
    S.IN_REVIEW: {S.CHANGES_REQUESTED, S.ACCEPTED, S.DECLINED, S.WITHDRAWN},
    S.CHANGES_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
    S.ACCEPTED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

people = st.sampled_from(
    ["proposer", "cohost", "outsider", "reviewer", "leader", "admin", "participant"]
)
proposal_actions = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), people),
        st.tuples(st.just("withdraw"), people),
        st.tuples(st.just("start_review"), people),
        st.tuples(
            st.just("decide"), people, st.sampled_from(["accept", "decline", "request_changes"])
        ),
        st.tuples(
            st.just("review"),
            people,
            st.sampled_from(["accept", "decline", "request_changes"]),
            st.integers(1, 5),
        ),
    ),
    min_size=1,
    max_size=16,
)


def act(cast, proposal, action) -> None:
    kind, who, *rest = action
    actor = getattr(cast, who)
    if kind == "submit":
        proposals.submit(actor, proposal, "")
    elif kind == "withdraw":
        proposals.withdraw(actor, proposal, "")
    elif kind == "start_review":
        reviews.start_review(actor, proposal)
    elif kind == "review":
        recommendation, score = rest
        data = reviews.ReviewInput(recommendation, score, score, score, score, f"{who} {score}")
        reviews.save_review(actor, proposal, data)
    else:
        reviews.decide(actor, proposal, rest[0], "A comment.")


@SETTINGS
@given(actions=proposal_actions)
# Two rounds of reviews, always tried: the first round's must survive the second.
@example(
    actions=[
        ("submit", "proposer"),
        ("review", "reviewer", "request_changes", 2),
        ("decide", "admin", "request_changes"),
        ("submit", "proposer"),
        ("review", "reviewer", "accept", 5),
        ("review", "leader", "accept", 4),
        ("review", "reviewer", "accept", 3),
        ("decide", "reviewer", "accept"),
        ("review", "leader", "decline", 1),
    ]
)
def test_a_proposal_only_changes_as_designed_and_records_each_change(app, actions):
    try:
        run_proposal(actions)
    finally:  # each example starts from an empty database: the cast has fixed names
        db.session.rollback()
        _empty_database()


def run_proposal(actions) -> None:
    cast = Cast()
    proposal = make_proposal(cast, "draft")
    db.session.commit()
    for action in actions:
        before = proposal.status
        recorded = len(proposal.transitions)
        reviews_before = review_rows(proposal.id)
        try:
            act(cast, proposal, action)
            db.session.commit()
        except DomainError:
            db.session.rollback()
        db.session.refresh(proposal)
        steps = proposal.transitions[recorded:]
        # Every step taken is an edge of the graph, chained from where it was.
        current = before
        for step in steps:
            assert step.from_status is current and step.to_status in GRAPH[current], (
                action,
                current,
                step.to_status,
            )
            current = step.to_status
        assert current is proposal.status
        if before not in OPEN:
            assert not steps, "a closed proposal changed"
        events = db.session.scalar(
            select(func.count(Event.id)).where(Event.proposal_id == proposal.id)
        )
        assert events == (1 if proposal.status is S.ACCEPTED else 0)
        # A round is opened by each resubmission after changes were requested, and only then.
        resubmissions = [
            t
            for t in proposal.transitions
            if (t.from_status, t.to_status) == (S.CHANGES_REQUESTED, S.SUBMITTED)
        ]
        assert proposal.review_round == 1 + len(resubmissions)
        # Reviews only grow: none goes away, and the only one that may change is the
        # reviewer's own review of the current round, while the proposal is under review.
        reviews_after = review_rows(proposal.id)
        assert set(reviews_before) <= set(reviews_after)
        changed = {
            review_id
            for review_id, row in reviews_after.items()
            if reviews_before.get(review_id) != row
        }
        if changed:
            kind, who, *_ = action
            actor = getattr(cast, who)
            assert kind == "review" and before in policy.REVIEWABLE, (action, changed)
            assert {reviews_after[i][:2] for i in changed} == {(actor.id, proposal.review_round)}
        assert all(row[1] <= proposal.review_round for row in reviews_after.values())
        pairs = [row[:2] for row in reviews_after.values()]
        assert len(pairs) == len(set(pairs)), "two reviews by one reviewer in one round"
    # The record is the history: replaying it from the first status gives the last one.
    rows = db.session.scalars(
        select(ProposalTransition)
        .where(ProposalTransition.proposal_id == proposal.id)
        .order_by(ProposalTransition.id)
    ).all()
    assert rows[0].from_status is None and rows[-1].to_status is proposal.status


def review_rows(proposal_id: int) -> dict[int, tuple]:
    """Each review of the proposal as the database holds it, by id."""
    return {
        r.id: (r.reviewer_id, r.round, r.recommendation, r.relevance, r.comment, r.updated_at)
        for r in db.session.scalars(select(Review).where(Review.proposal_id == proposal_id))
    }


statuses = st.sampled_from(["not_started", "limited", "substantial", "completed", "withdrawn"])
history_actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("update"),
            st.sampled_from(["owner", "stranger"]),
            statuses,
            st.integers(0, 60),
        ),
        st.tuples(st.just("assess"), st.sampled_from(["assessor", "owner_assessor"]), statuses),
    ),
    min_size=1,
    max_size=15,
)


@SETTINGS
@given(actions=history_actions)
def test_a_commitments_history_only_grows_and_its_latest_entries_decide(app, actions):
    try:
        run_history(actions)
    finally:
        db.session.rollback()
        _empty_database()


def run_history(actions) -> None:
    organiser = make_user()
    owner = make_member()
    people = {
        "owner": make_focal_point(owner).user,
        "stranger": make_focal_point(make_member()).user,
        "assessor": make_user(roles=["assessor"]),
        "owner_assessor": make_focal_point(owner, make_user(roles=["assessor"])).user,
    }
    event = make_event(organisers=[organiser], days=-90, hours=2, status="completed")
    commitment = followup.create_commitment(
        organiser,
        event,
        CommitmentInput(
            member_id=owner.id,
            title="Open courts",
            due_date=event.starts_at.date() + timedelta(days=365),
        ),
    )
    db.session.commit()
    seen: list[tuple] = []
    for kind, who, status, *rest in actions:
        try:
            if kind == "update":
                day = event.starts_at.date() + timedelta(days=rest[0])
                followup.post_update(people[who], commitment, UpdateInput(status, "", [], day))
            else:
                followup.assess(people[who], commitment, status, "Because.")
            db.session.commit()
            assert who in ("owner", "assessor"), f"{who} was allowed to {kind}"
        except DomainError:
            db.session.rollback()
            assert who not in ("owner", "assessor"), f"{who} was refused {kind}"
        db.session.refresh(commitment)
        entries = [("u", u.id, u.status, u.reported_on) for u in commitment.updates] + [
            ("a", a.id, a.status, a.created_at) for a in commitment.assessments
        ]
        # Nothing already there changed or went away.
        assert set(seen) <= set(entries)
        seen = entries
        latest = max(commitment.updates, key=lambda u: (u.reported_on, u.id), default=None)
        expected = latest.status.value if latest else "not_started"
        assert followup.self_reported(commitment).value == expected
        rating = commitment.assessments[-1].status if commitment.assessments else None
        assert followup.assessed(commitment) is rating
        assert followup.differs(commitment) == (
            rating is not None and rating is not followup.self_reported(commitment)
        )
