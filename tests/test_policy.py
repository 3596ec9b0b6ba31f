"""convene.policy, one table per area: every rule asked of every person, so that a changed
rule shows as a changed cell; and the rules' SQL twins (visible_events, visible_proposals,
online_link_event_ids) answer as the rules do, person by person.

tests/test_security_authz.py asks the same questions through every URL; this file asks
policy itself, which every page, template, API operation and service asks.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from convene import policy
from convene.extensions import db
from convene.models import (
    Commitment,
    Event,
    MemberKind,
    Proposal,
    Registration,
    RegistrationStatus,
    Sector,
    utcnow,
)
from convene.services import PermissionDenied

from .factories import Cast, make_event, make_focal_point, make_member, make_proposal, make_user

PEOPLE = [
    "nobody",
    "visitor",
    "participant",
    "waitlisted",
    "organiser",
    "host_focal_point",
    "other_focal_point",
    "reviewer",
    "assessor",
    "admin",
    "system",
]


def only(*allowed: str) -> dict[str, bool]:
    return {person: person in allowed for person in PEOPLE}


EVERYONE = only(*PEOPLE)
SIGNED_IN = only(*PEOPLE[2:])
RUNNERS = ("organiser", "admin", "system")  # those who run the published event

# rule name → who gets True; each rule is asked in `ask` below.
EVENTS = {
    "can_see_event(published)": EVERYONE,
    "can_see_event(draft)": only(*RUNNERS),
    "can_manage_event(published)": only(*RUNNERS),
    "can_manage_event(draft)": only(*RUNNERS),
    "can_see_online_link(published)": only("participant", *RUNNERS),
    "can_keep_agenda": SIGNED_IN,
}
REGISTRATIONS = {
    "can_see_registration(participant's)": only("participant", *RUNNERS),
    "owns_registration(participant's)": only("participant"),
    "can_register_delegation(host)": only("host_focal_point"),
    "can_register_delegation(any member)": only("host_focal_point", "other_focal_point"),
}
PEOPLES = {
    "can_administer": only("admin", "system"),
    "can_delete_account(participant's)": only("participant", "admin", "system"),
}
FOLLOWUP = {
    "can_add_commitment(for the host)": only("host_focal_point", *RUNNERS),
    "can_add_commitment(for another member)": only(*RUNNERS),
    "can_approve_commitment": only(*RUNNERS),
    "can_see_commitment(approved)": EVERYONE,
    "can_see_commitment(pending)": only("host_focal_point", *RUNNERS),
    "can_report_progress": only("host_focal_point"),
    "can_assess": only("assessor", "system"),
}


@pytest.fixture
def world(app):
    w = SimpleNamespace()
    w.host = make_member(name="Government of Testland", slug="gov-testland")
    w.other = make_member(name="Civic Lab", slug="civic-lab", kind=MemberKind.CIVIL_SOCIETY)
    people = {
        "nobody": None,
        "visitor": AnonymousUserMixin(),
        "participant": make_user(),
        "waitlisted": make_user(),
        "organiser": make_user(),
        "host_focal_point": make_focal_point(w.host).user,
        "other_focal_point": make_focal_point(w.other).user,
        "reviewer": make_user(roles=["reviewer"]),
        "assessor": make_user(roles=["assessor"]),
        "admin": make_user(roles=["admin"]),
        "system": policy.SYSTEM,
    }
    w.people = people
    w.published = make_event(organisers=[people["organiser"]], hosts=[w.host])
    w.draft = make_event(status="draft", organisers=[people["organiser"]], hosts=[w.host])
    registrations = {}
    for name, status in (("participant", "confirmed"), ("waitlisted", "waitlisted")):
        registrations[name] = Registration(
            event=w.published,
            user=people[name],
            status=RegistrationStatus(status),
            sector=Sector.CIVIL_SOCIETY,
            waitlist_position=1 if status == "waitlisted" else None,
            answers={},
        )
        db.session.add(registrations[name])
    w.registration = registrations["participant"]
    w.approved, w.pending = (
        Commitment(
            event=w.published,
            member=w.host,
            title=title,
            due_date=w.published.starts_at.date() + timedelta(days=365),
            created_by_id=people["organiser"].id,
            approved_at=approved_at,
        )
        for title, approved_at in (("Approved", utcnow()), ("Pending", None))
    )
    db.session.add_all([w.approved, w.pending])
    db.session.commit()
    return w


def ask(w, rule: str, user) -> bool:
    """The answer of the rule named as in the tables above."""
    questions = {
        "can_see_event(published)": lambda: policy.can_see_event(user, w.published),
        "can_see_event(draft)": lambda: policy.can_see_event(user, w.draft),
        "can_manage_event(published)": lambda: policy.can_manage_event(user, w.published),
        "can_manage_event(draft)": lambda: policy.can_manage_event(user, w.draft),
        "can_see_online_link(published)": lambda: policy.can_see_online_link(user, w.published),
        "can_keep_agenda": lambda: policy.can_keep_agenda(user),
        "can_see_registration(participant's)": lambda: policy.can_see_registration(
            user, w.registration
        ),
        "owns_registration(participant's)": lambda: policy.owns_registration(user, w.registration),
        "can_register_delegation(host)": lambda: policy.can_register_delegation(user, w.host.id),
        "can_register_delegation(any member)": lambda: policy.can_register_delegation(user),
        "can_administer": lambda: policy.can_administer(user),
        "can_delete_account(participant's)": lambda: policy.can_delete_account(
            user, w.people["participant"]
        ),
        "can_add_commitment(for the host)": lambda: policy.can_add_commitment(
            user, w.published, w.host.id
        ),
        "can_add_commitment(for another member)": lambda: policy.can_add_commitment(
            user, w.published, w.other.id
        ),
        "can_approve_commitment": lambda: policy.can_approve_commitment(user, w.pending),
        "can_see_commitment(approved)": lambda: policy.can_see_commitment(user, w.approved),
        "can_see_commitment(pending)": lambda: policy.can_see_commitment(user, w.pending),
        "can_report_progress": lambda: policy.can_report_progress(user, w.approved),
        "can_assess": lambda: policy.can_assess(user, w.approved),
    }
    return bool(questions[rule]())


@pytest.mark.parametrize(
    "table", [EVENTS, REGISTRATIONS, PEOPLES, FOLLOWUP], ids=lambda t: next(iter(t))
)
def test_every_rule_for_every_person(world, table):
    got = {rule: {p: ask(world, rule, world.people[p]) for p in PEOPLE} for rule in table}
    assert got == table


def test_a_refusal_says_why_and_matches_its_question(world):
    """Each require_* refuses exactly when its can_* says no, with the reason people see."""
    pairs = [
        (policy.can_manage_event, policy.require_manage_event, (world.published,)),
        (policy.can_administer, policy.require_administer, ()),
        (policy.can_keep_agenda, policy.require_keep_agenda, ()),
        (policy.can_approve_commitment, policy.require_approve_commitment, (world.pending,)),
        (policy.can_report_progress, policy.require_report_progress, (world.approved,)),
        (policy.can_assess, policy.require_assess, (world.approved,)),
    ]
    for person in PEOPLE:
        user = world.people[person]
        for can, require, objects in pairs:
            if can(user, *objects):
                require(user, *objects)
            else:
                with pytest.raises(PermissionDenied) as refused:
                    require(user, *objects)
                assert refused.value.message, (person, require.__name__)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_sql_twins_answer_as_the_rules(world, person):
    user = world.people[person]
    events = [world.published, world.draft]
    condition = policy.visible_events(user)
    query = select(Event.id) if condition is None else select(Event.id).where(condition)
    assert set(db.session.scalars(query)) == {e.id for e in events if policy.can_see_event(user, e)}
    assert policy.online_link_event_ids(user, events) == {
        e.id for e in events if policy.can_see_online_link(user, e)
    }


# Proposals: the people around one proposal (tests/factories.Cast) ----------------------

CAST = ["proposer", "cohost", "outsider", "leader", "participant", "reviewer", "assessor", "admin"]


def cast_of(*allowed: str) -> dict[str, bool]:
    return {person: person in allowed for person in CAST}


PROPOSALS = {
    "can_view_proposal(draft)": cast_of("proposer", "cohost", "admin"),
    "can_view_proposal(submitted)": cast_of("proposer", "cohost", "leader", "reviewer", "admin"),
    "can_edit_proposal": cast_of("proposer"),
    "can_withdraw_proposal": cast_of("proposer", "admin"),
    "can_answer_invitation(co-host)": cast_of("cohost"),
    "can_waive_cocreation": cast_of("admin"),
    "can_review(submitted)": cast_of("leader", "reviewer", "admin"),
    "can_review(draft)": cast_of(),
    "can_decide(submitted)": cast_of("reviewer", "admin"),
    "can_see_reviews(submitted)": cast_of("leader", "reviewer", "admin"),
    "can_see_review_queue": cast_of("leader", "reviewer", "admin"),
    "can_propose": cast_of("proposer", "cohost", "outsider", "leader"),
}


@pytest.fixture
def cast(app):
    cast = Cast()
    cast.draft = make_proposal(cast)
    cast.submitted = make_proposal(cast, "submitted", title="Submitted")
    return cast


def ask_proposal(cast, rule: str, user) -> bool:
    questions = {
        "can_view_proposal(draft)": lambda: policy.can_view_proposal(user, cast.draft),
        "can_view_proposal(submitted)": lambda: policy.can_view_proposal(user, cast.submitted),
        "can_edit_proposal": lambda: policy.can_edit_proposal(user, cast.draft),
        "can_withdraw_proposal": lambda: policy.can_withdraw_proposal(user, cast.submitted),
        "can_answer_invitation(co-host)": lambda: policy.can_answer_invitation(
            user, cast.civil_society.id
        ),
        "can_waive_cocreation": lambda: policy.can_waive_cocreation(user, cast.draft),
        "can_review(submitted)": lambda: policy.can_review(user, cast.submitted),
        "can_review(draft)": lambda: policy.can_review(user, cast.draft),
        "can_decide(submitted)": lambda: policy.can_decide(user, cast.submitted),
        "can_see_reviews(submitted)": lambda: policy.can_see_reviews(user, cast.submitted),
        "can_see_review_queue": lambda: policy.can_see_review_queue(user),
        "can_propose": lambda: policy.can_propose(user),
    }
    return bool(questions[rule]())


def test_every_proposal_rule_for_every_person(cast):
    got = {
        rule: {p: ask_proposal(cast, rule, getattr(cast, p)) for p in CAST} for rule in PROPOSALS
    }
    assert got == PROPOSALS


def test_a_host_reviewer_is_refused_for_the_conflict(cast):
    """The same role, another answer: a reviewer who speaks for a host may not review."""
    make_focal_point(cast.civil_society, cast.reviewer)
    assert policy.review_refusal(cast.reviewer, cast.submitted).startswith("You cannot review")
    assert policy.decision_refusal(cast.reviewer, cast.submitted).startswith("You cannot decide")


@pytest.mark.parametrize("person", CAST)
def test_visible_proposals_is_can_view_proposal_in_sql(cast, person):
    user = getattr(cast, person)
    shown = set(db.session.scalars(policy.visible_proposals(user).with_only_columns(Proposal.id)))
    assert shown == {
        p.id for p in (cast.draft, cast.submitted) if policy.can_view_proposal(user, p)
    }
