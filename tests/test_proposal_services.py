"""The proposal rules, called directly: drafting, co-hosting, the state machine, reviews."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from convene import policy
from convene.extensions import db
from convene.models import (
    EventStatus,
    HostStatus,
    MemberKind,
    OutboxMessage,
    ProposalStatus,
    Recommendation,
    Review,
)
from convene.services import InvalidInput, NotFound, PermissionDenied, proposals, reviews
from convene.services.proposals import IllegalTransition, ProposalInput

from .dates import SUNDAY, day, wall
from .factories import (
    Cast,
    make_focal_point,
    make_member,
    make_proposal,
    make_theme_leader,
    make_user,
    proposal_input,
    theme_ids,
)


@pytest.fixture
def cast(app):
    return Cast()


def review_input(**changes):
    values = dict(
        recommendation="accept",
        relevance=4,
        ambition=5,
        co_creation=3,
        feasibility=4,
        comment="Strong.",
    )
    values.update(changes)
    return reviews.ReviewInput(**values)


def test_a_draft_can_be_saved_incomplete(cast):
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, ProposalInput(title="Just an idea")
    )
    db.session.commit()
    assert proposal.status is ProposalStatus.DRAFT
    assert [h.member_id for h in proposal.hosts] == [cast.government.id]
    assert proposal.hosts[0].status is HostStatus.ACCEPTED
    [record] = proposal.transitions
    assert (record.from_status, record.to_status, record.actor_id) == (
        None,
        ProposalStatus.DRAFT,
        cast.proposer.id,
    )


def test_only_a_members_focal_point_proposes_for_it(cast):
    with pytest.raises(PermissionDenied):
        proposals.create_proposal(cast.outsider, cast.government.id, proposal_input())


def test_times_are_entered_in_the_events_timezone_and_stored_in_utc(cast):
    data = proposal_input(
        starts_at=wall(SUNDAY, 9),
        ends_at=wall(SUNDAY, 17),
        timezone="Europe/Paris",
    )
    proposal = proposals.create_proposal(cast.proposer, cast.government.id, data)
    # SUNDAY is the day the clocks change in Paris (tests/dates.py): 09:00 is UTC+2.
    assert proposal.starts_at.isoformat() == f"{SUNDAY}T07:00:00+00:00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": wall(day(-88), 8), "starts_at": wall(day(-88), 9)}, "ends_at"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        (
            {"starts_at": wall(SUNDAY, 2, 30), "ends_at": wall(SUNDAY, 5)},
            "starts_at",
        ),
        ({"theme_ids": [999_999]}, "themes"),
        ({"cohost_ids": [999_999]}, "cohosts"),
        ({"summary": "x" * 100_000}, "summary"),
        ({"title": ""}, "title"),
        ({"country": "ZZ"}, "country"),
        ({"languages": ["klingon"]}, "languages"),
        ({"expected_size": 0}, "expected_size"),
        ({"format": "telepathy"}, "format"),
        ({"starts_at": datetime(1900, 1, 1, 9)}, "starts_at"),
    ],
)
def test_bad_values_are_refused_per_field_even_in_a_draft(cast, changes, field):
    with pytest.raises(InvalidInput) as error:
        proposals.create_proposal(cast.proposer, cast.government.id, proposal_input(**changes))
    assert field in error.value.fields


def test_submission_requires_everything_and_co_creation(cast):
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, ProposalInput(title="Just an idea")
    )
    with pytest.raises(InvalidInput) as error:
        proposals.submit(cast.proposer, proposal)
    assert {"summary", "themes", "format", "starts_at", "languages", "cohosts"} <= set(
        error.value.fields
    )
    assert proposal.status is ProposalStatus.DRAFT


def test_an_invited_cohost_counts_only_once_it_accepts(cast):
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, proposal_input(cohost_ids=[cast.civil_society.id])
    )
    with pytest.raises(InvalidInput) as error:
        proposals.submit(cast.proposer, proposal)
    assert list(error.value.fields) == ["cohosts"]
    proposals.respond_to_invitation(cast.cohost, proposal, cast.civil_society.id, accept=True)
    proposals.submit(cast.proposer, proposal)
    assert proposal.status is ProposalStatus.SUBMITTED


def test_a_declined_invitation_does_not_count(cast):
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, proposal_input(cohost_ids=[cast.civil_society.id])
    )
    proposals.respond_to_invitation(cast.cohost, proposal, cast.civil_society.id, accept=False)
    with pytest.raises(InvalidInput):
        proposals.submit(cast.proposer, proposal)


def test_only_the_invited_members_focal_points_answer(cast):
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, proposal_input(cohost_ids=[cast.civil_society.id])
    )
    with pytest.raises(PermissionDenied):
        proposals.respond_to_invitation(cast.outsider, proposal, cast.civil_society.id, True)
    with pytest.raises(NotFound):
        proposals.respond_to_invitation(cast.outsider, proposal, cast.other.id, True)


def test_an_administrator_can_waive_co_creation_with_a_reason(cast):
    proposal = proposals.create_proposal(cast.proposer, cast.government.id, proposal_input())
    with pytest.raises(PermissionDenied):
        proposals.waive_cocreation(cast.reviewer, proposal, "because")
    with pytest.raises(InvalidInput):
        proposals.waive_cocreation(cast.admin, proposal, "  ")
    proposals.waive_cocreation(cast.admin, proposal, "A parliament-only event")
    proposals.submit(cast.proposer, proposal)
    assert proposal.status is ProposalStatus.SUBMITTED
    assert proposal.cocreation_waived_by_id == cast.admin.id


def test_government_hosts_alone_do_not_meet_co_creation(cast):
    local = make_member(name="City of Test", kind=MemberKind.LOCAL_GOVERNMENT)
    make_focal_point(local, cast.cohost)
    proposal = proposals.create_proposal(
        cast.proposer, cast.government.id, proposal_input(cohost_ids=[local.id])
    )
    proposals.respond_to_invitation(cast.cohost, proposal, local.id, True)
    assert not proposals.cocreation_met(proposal)


def test_the_whole_life_of_a_proposal_is_recorded(cast):
    proposal = make_proposal(cast, "submitted")
    reviews.save_review(cast.reviewer, proposal, review_input(recommendation="request_changes"))
    reviews.decide(cast.reviewer, proposal, "request_changes", "Add a youth session.")
    proposals.update_proposal(
        cast.proposer,
        proposal,
        proposal_input(title="Open justice for all ages", cohost_ids=[cast.civil_society.id]),
    )
    proposals.submit(cast.proposer, proposal, "Youth session added.")
    event = reviews.decide(cast.admin, proposal, "accept", "Welcome aboard.")
    db.session.commit()
    steps = [
        (t.from_status and t.from_status.value, t.to_status.value) for t in proposal.transitions
    ]
    assert steps == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "accepted"),
    ]
    assert proposal.transitions[-1].comment == "Welcome aboard."
    assert event.status is EventStatus.DRAFT
    assert event.proposal is proposal and proposal.event is event
    assert event.title == "Open justice for all ages"
    assert {m.id for m in event.hosts} == {cast.government.id, cast.civil_society.id}
    assert {o.user_id for o in event.organisers} == {cast.proposer.id, cast.cohost.id}
    assert [t.slug for t in event.themes] == ["open-justice"]
    assert event.timezone == "Europe/Paris" and event.starts_at == proposal.starts_at


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "decide"),
        ("accepted", "submit"),
        ("declined", "withdraw"),
        ("withdrawn", "submit"),
        ("accepted", "edit"),
        ("in_review", "edit"),
        ("accepted", "decide"),
        ("draft", "review"),
    ],
)
def test_illegal_transitions_raise(cast, status, action):
    proposal = make_proposal(cast, status)
    with pytest.raises(IllegalTransition):
        if action == "decide":
            reviews.decide(cast.reviewer, proposal, "accept", "ok")
        elif action == "submit":
            proposals.submit(cast.proposer, proposal)
        elif action == "withdraw":
            proposals.withdraw(cast.proposer, proposal)
        elif action == "edit":
            proposals.update_proposal(cast.proposer, proposal, proposal_input())
        elif action == "review":
            reviews.save_review(cast.reviewer, proposal, review_input())
    db.session.refresh(proposal)
    assert proposal.status.value == status


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "changes_requested"])
def test_withdrawn_from_any_open_state(cast, status):
    proposal = make_proposal(cast, status)
    proposals.withdraw(cast.proposer, proposal, "Plans changed.")
    assert proposal.status is ProposalStatus.WITHDRAWN


def test_a_reviewer_from_a_host_member_cannot_review(cast):
    proposal = make_proposal(cast, "submitted")
    make_focal_point(cast.civil_society, cast.reviewer)
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        reviews.save_review(cast.reviewer, proposal, review_input())
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        reviews.decide(cast.reviewer, proposal, "accept", "Mine.")


def test_thematic_leaders_review_their_themes_but_do_not_decide(cast):
    proposal = make_proposal(cast, "submitted")
    review = reviews.save_review(cast.leader, proposal, review_input())
    assert review.reviewer_id == cast.leader.id
    assert proposal.status is ProposalStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):
        reviews.decide(cast.leader, proposal, "accept", "Looks good.")
    digital = make_proposal(cast, "submitted", theme_ids=theme_ids("open-digital"))
    with pytest.raises(PermissionDenied):
        reviews.save_review(cast.leader, digital, review_input())
    assert not policy.can_view_proposal(cast.leader, digital)


def test_a_leader_of_a_parent_theme_reviews_its_sub_themes(cast):
    make_theme_leader("anti-corruption", cast.other)
    proposal = make_proposal(cast, "submitted", theme_ids=theme_ids("open-contracting"))
    reviews.save_review(cast.outsider, proposal, review_input())
    assert proposal.status is ProposalStatus.IN_REVIEW


def test_a_review_can_be_revised_until_the_decision(cast):
    proposal = make_proposal(cast, "submitted")
    reviews.save_review(cast.reviewer, proposal, review_input(relevance=2))
    reviews.save_review(
        cast.reviewer, proposal, review_input(relevance=5, recommendation="decline")
    )
    assert len(proposal.reviews) == 1
    assert (proposal.reviews[0].relevance, proposal.reviews[0].recommendation) == (
        5,
        Recommendation.DECLINE,
    )
    reviews.decide(cast.admin, proposal, "decline", "Not this year.")
    with pytest.raises(IllegalTransition):
        reviews.save_review(cast.reviewer, proposal, review_input())


def send_back_and_resubmit(cast, proposal, comment="Add a youth session."):
    """The decision that ends a round, then the proposer's changes and new submission."""
    reviews.decide(cast.admin, proposal, "request_changes", comment)
    proposals.update_proposal(
        cast.proposer,
        proposal,
        proposal_input(title="Open justice for all ages", cohost_ids=[cast.civil_society.id]),
    )
    proposals.submit(cast.proposer, proposal, "Changed as asked.")
    db.session.commit()


def test_every_rounds_reviews_are_kept(cast):
    proposal = make_proposal(cast, "submitted")
    assert proposal.review_round == 1
    first = reviews.save_review(
        cast.reviewer,
        proposal,
        review_input(recommendation="request_changes", relevance=2, comment="Needs youth."),
    )
    db.session.commit()
    send_back_and_resubmit(cast, proposal)
    assert proposal.review_round == 2
    second = reviews.save_review(
        cast.reviewer, proposal, review_input(relevance=5, comment="Much better.")
    )
    reviews.save_review(cast.reviewer, proposal, review_input(relevance=4, comment="Revised."))
    db.session.commit()
    db.session.expire_all()
    kept = [(r.round, r.relevance, r.recommendation.value, r.comment) for r in proposal.reviews]
    assert kept == [(1, 2, "request_changes", "Needs youth."), (2, 4, "accept", "Revised.")]
    assert first.id != second.id
    assert reviews.current_review(cast.reviewer, proposal).id == second.id


def test_an_earlier_rounds_review_is_never_revised(cast):
    proposal = make_proposal(cast, "submitted")
    reviews.save_review(cast.reviewer, proposal, review_input(relevance=2, comment="First."))
    db.session.commit()
    before = [(r.id, r.round, r.relevance, r.comment, r.updated_at) for r in proposal.reviews]
    send_back_and_resubmit(cast, proposal)
    for relevance in (5, 4):
        reviews.save_review(cast.reviewer, proposal, review_input(relevance=relevance))
        db.session.commit()
    reviews.decide(cast.admin, proposal, "decline", "Not this year.")
    db.session.commit()
    db.session.expire_all()
    after = [(r.id, r.round, r.relevance, r.comment, r.updated_at) for r in proposal.reviews]
    assert after[:1] == before
    assert [(r.round, r.relevance) for r in proposal.reviews] == [(1, 2), (2, 4)]


def test_the_database_holds_one_review_per_reviewer_and_round(cast):
    proposal = make_proposal(cast, "submitted")
    scores = dict(recommendation="accept", relevance=3, ambition=3, co_creation=3, feasibility=3)
    db.session.add(Review(proposal=proposal, reviewer_id=cast.reviewer.id, round=1, **scores))
    db.session.add(Review(proposal=proposal, reviewer_id=cast.reviewer.id, round=2, **scores))
    db.session.commit()
    db.session.add(Review(proposal=proposal, reviewer_id=cast.reviewer.id, round=2, **scores))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_reviews_are_grouped_by_round_the_current_one_first(cast):
    proposal = make_proposal(cast, "submitted")
    reviews.save_review(cast.reviewer, proposal, review_input())
    reviews.save_review(cast.leader, proposal, review_input())
    db.session.commit()
    send_back_and_resubmit(cast, proposal)
    reviews.save_review(cast.leader, proposal, review_input())
    db.session.commit()
    rounds = reviews.by_round(reviews.visible_reviews(cast.reviewer, proposal))
    assert [(n, [r.reviewer_id for r in items]) for n, items in rounds] == [
        (2, [cast.leader.id]),
        (1, [cast.reviewer.id, cast.leader.id]),
    ]
    assert reviews.visible_reviews(cast.proposer, proposal) == []


def test_the_queue_counts_and_averages_the_current_round_only(cast):
    proposal = make_proposal(cast, "submitted", title="Resubmitted")
    reviews.save_review(
        cast.reviewer, proposal, review_input(relevance=1, ambition=1, co_creation=1, feasibility=1)
    )
    reviews.save_review(
        cast.leader, proposal, review_input(relevance=1, ambition=1, co_creation=1, feasibility=1)
    )
    db.session.commit()
    send_back_and_resubmit(cast, proposal)

    def row():
        (only,) = reviews.review_queue(cast.reviewer, reviews.QueueFilters())
        return only

    fresh = row()
    assert (fresh.review_count, fresh.average, fresh.my_review) == (0, None, None)
    reviews.save_review(
        cast.leader, proposal, review_input(relevance=5, ambition=3, co_creation=5, feasibility=3)
    )
    db.session.commit()
    reviewed = row()
    assert reviewed.review_count == 1
    assert reviewed.averages["relevance"] == 5.0 and reviewed.average == 4.0
    assert reviewed.my_review is None  # the reviewer's review is of the first round


@pytest.mark.parametrize(
    "changes",
    [{"relevance": 0}, {"ambition": 6}, {"recommendation": "maybe"}, {"comment": "x" * 6000}],
)
def test_review_scores_are_checked(cast, changes):
    proposal = make_proposal(cast, "submitted")
    with pytest.raises(InvalidInput):
        reviews.save_review(cast.reviewer, proposal, review_input(**changes))


def test_others_cannot_review(cast):
    proposal = make_proposal(cast, "submitted")
    for person in (cast.outsider, cast.participant, cast.assessor):
        with pytest.raises(PermissionDenied):
            reviews.save_review(person, proposal, review_input())


def test_a_decision_needs_a_comment(cast):
    proposal = make_proposal(cast, "submitted")
    with pytest.raises(InvalidInput):
        reviews.decide(cast.reviewer, proposal, "accept", " ")
    with pytest.raises(InvalidInput):
        reviews.decide(cast.reviewer, proposal, "postpone", "why not")


def test_hosts_and_reviewers_are_told(cast):
    make_proposal(cast, "submitted")
    messages = db.session.scalars(select(OutboxMessage)).all()
    by_kind = {}
    for message in messages:
        by_kind.setdefault(message.kind, set()).add(message.to_address)
    assert by_kind["cohost_invitation"] == {cast.cohost.email}
    assert by_kind["cohost_response"] == {cast.proposer.email}
    assert {cast.proposer.email, cast.cohost.email} <= by_kind["proposal_status"]
    assert by_kind["proposal_submitted"] == {
        cast.reviewer.email,
        cast.admin.email,
        cast.leader.email,
    }


def test_who_sees_a_proposal(cast):
    draft = make_proposal(cast, "draft")
    submitted = make_proposal(cast, "submitted")
    assert policy.can_view_proposal(cast.cohost, draft)
    for person in (cast.reviewer, cast.leader, cast.outsider, cast.participant):
        assert not policy.can_view_proposal(person, draft)
    for person in (cast.reviewer, cast.leader, cast.admin, cast.proposer):
        assert policy.can_view_proposal(person, submitted)
    for person in (cast.outsider, cast.participant, cast.assessor):
        assert not policy.can_view_proposal(person, submitted)
        with pytest.raises(NotFound):
            proposals.get_proposal(person, submitted.id)


def test_the_review_queue_shows_scores_and_filters(cast):
    first = make_proposal(cast, "submitted", title="First")
    second = make_proposal(
        cast, "submitted", title="Second", format="online", city=None, country=None
    )
    reviews.save_review(
        cast.reviewer, first, review_input(relevance=2, ambition=4, co_creation=4, feasibility=2)
    )
    reviews.save_review(
        cast.admin, first, review_input(relevance=4, ambition=4, co_creation=4, feasibility=4)
    )
    db.session.commit()
    rows = {
        row.proposal.title: row
        for row in reviews.review_queue(cast.reviewer, reviews.QueueFilters())
    }
    assert rows["First"].review_count == 2
    assert rows["First"].averages["relevance"] == 3.0
    assert rows["First"].average == 3.5
    assert rows["Second"].review_count == 0 and rows["Second"].average is None
    online = reviews.review_queue(cast.reviewer, reviews.QueueFilters(format="online"))
    assert [r.proposal.id for r in online] == [second.id]
    europe = reviews.review_queue(cast.reviewer, reviews.QueueFilters(region="europe"))
    assert {r.proposal.id for r in europe} == {first.id, second.id}  # the member is in France
    africa = reviews.review_queue(cast.reviewer, reviews.QueueFilters(region="africa-middle-east"))
    assert africa == []
    leader_rows = reviews.review_queue(cast.leader, reviews.QueueFilters())
    assert {r.proposal.id for r in leader_rows} == {first.id, second.id}
    with pytest.raises(PermissionDenied):
        reviews.review_queue(cast.outsider, reviews.QueueFilters())
    later = datetime.now() + timedelta(days=365)  # noqa: DTZ005
    assert (
        reviews.review_queue(cast.reviewer, reviews.QueueFilters(starts_after=later.astimezone()))
        == []
    )


def test_no_one_else_proposes_with_a_foreign_member(cast):
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        proposals.create_proposal(stranger, cast.government.id, ProposalInput(title="x"))


def test_a_proposal_dated_in_the_past_cannot_be_submitted(cast):
    past = datetime.now() - timedelta(days=3)  # noqa: DTZ005
    proposal = make_proposal(cast, "draft", starts_at=past, ends_at=past + timedelta(hours=3))
    with pytest.raises(InvalidInput) as error:
        proposals.submit(cast.proposer, proposal)
    assert "The event must start in the future." in error.value.fields["starts_at"]
