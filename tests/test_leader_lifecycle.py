"""Random sequences of actions on a leadership application keep the rules of its life
(hypothesis): its status moves only along the designed edges, each move is recorded once
(in its history and in the audit log), a round opens only with a resubmission, a closed
application never changes, and a submitted group met the rule (or had it waived) with no
member left unanswered.

The decision (request_changes, appoint, decline) is the reviewers' service, written
elsewhere: here it is `states.transition` called directly, as that service will."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import ApplicationStatus, AuditEntry, ParticipantStatus
from convene.services import DomainError, leaders

from .conftest import _empty_database
from .leader_factories import Group, individual

S = ApplicationStatus
# The life of an application, as DESIGN.md draws it (a proposal's, with appointed).
GRAPH = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.IN_REVIEW, S.WITHDRAWN},
    S.IN_REVIEW: {S.CHANGES_REQUESTED, S.APPOINTED, S.DECLINED, S.WITHDRAWN},
    S.CHANGES_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
    S.APPOINTED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
CLOSED = {S.APPOINTED, S.DECLINED, S.WITHDRAWN}
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

people = st.sampled_from(["creator", "society", "mayor", "outsider", "admin"])
members = st.sampled_from(["government", "civil_society", "city"])
actions = st.lists(
    st.one_of(
        st.tuples(st.just("add_member"), people, members),
        st.tuples(st.just("respond"), people, members, st.booleans()),
        st.tuples(st.just("add_individual"), people, st.sampled_from(["government", "media"])),
        st.tuples(st.just("remove"), people, st.integers(0, 3)),
        st.tuples(st.just("statements"), people),
        st.tuples(st.just("waive"), people),
        st.tuples(st.just("submit"), people),
        st.tuples(st.just("withdraw"), people),
        # The reviewers' moves, through transition; `allowed` is every status, so only
        # transition's own graph stands between them and an illegal move.
        st.tuples(st.just("move"), st.sampled_from([S.IN_REVIEW, S.CHANGES_REQUESTED])),
        st.tuples(st.just("move"), st.sampled_from([S.APPOINTED, S.DECLINED])),
    ),
    min_size=1,
    max_size=18,
)


def act(group: Group, application, action) -> None:
    kind, *rest = action
    if kind == "move":
        leaders.lock(application)
        leaders.transition(application, group.admin, set(S), rest[0], "A decision.")
        return
    actor = getattr(group, rest[0])
    if kind == "add_member":
        leaders.add_member(actor, application, getattr(group, rest[1]).id)
    elif kind == "respond":
        leaders.respond(actor, application, getattr(group, rest[1]).id, rest[2])
    elif kind == "add_individual":
        data = individual(email=f"{rest[1]}@example.org", sector=rest[1])
        leaders.add_individual(actor, application, data)
    elif kind == "remove":
        ids = [person.id for person in application.people] or [0]  # 0: no such person
        leaders.remove_person(actor, application, ids[rest[1] % len(ids)])
    elif kind == "statements":
        texts = {c.id: "We meet it." for c in application.call.criteria}
        leaders.save_statements(actor, application, texts)
    elif kind == "waive":
        leaders.waive_multi_stakeholder(actor, application, "A pilot of one level.")
    elif kind == "submit":
        leaders.submit(actor, application, "")
    else:
        leaders.withdraw(actor, application, "")


@SETTINGS
@given(actions=actions)
# Two rounds, always tried: changes requested, then answered.
@example(
    actions=[
        ("add_member", "creator", "government"),
        ("add_member", "creator", "civil_society"),
        ("respond", "society", "civil_society", True),
        ("statements", "society"),
        ("submit", "creator"),
        ("move", S.IN_REVIEW),
        ("move", S.CHANGES_REQUESTED),
        ("submit", "society"),
        ("move", S.IN_REVIEW),
        ("move", S.APPOINTED),
        ("withdraw", "creator"),
    ]
)
def test_an_application_only_changes_as_designed_and_records_each_change(app, actions):
    try:
        run(actions)
    finally:  # each example starts from an empty database: the group has fixed names
        db.session.rollback()
        _empty_database()


def logged_moves(application_id: int) -> int:
    moves = [f"leadership_application.{status.value}" for status in S if status is not S.DRAFT]
    return db.session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.object_type == "leadership_application",
            AuditEntry.object_id == application_id,
            AuditEntry.action.in_(moves),
        )
    )


def run(actions) -> None:
    group = Group()
    application = leaders.start_application(
        group.creator, group.call, leaders.ApplicationInput(name="Justice partners")
    )
    db.session.commit()
    for action in actions:
        before, recorded = application.status, len(application.transitions)
        try:
            act(group, application, action)
            db.session.commit()
        except DomainError:
            db.session.rollback()
        db.session.refresh(application)
        steps = application.transitions[recorded:]
        assert len(steps) <= 1, action
        for step in steps:
            assert step.from_status is before and step.to_status in GRAPH[before], action
        assert application.status is (steps[-1].to_status if steps else before)
        if before in CLOSED:
            assert not steps, "a closed application changed"
        if steps and application.status is S.SUBMITTED:
            assert leaders.rule_met(application), "submitted without the rule"
            assert all(p.status is not ParticipantStatus.INVITED for p in application.people)
        resubmissions = [
            t
            for t in application.transitions
            if (t.from_status, t.to_status) == (S.CHANGES_REQUESTED, S.SUBMITTED)
        ]
        assert application.round == 1 + len(resubmissions)
        # Each move is in the audit log once; the creation is the history's first row.
        assert logged_moves(application.id) == len(application.transitions) - 1
        member_ids = [p.member_id for p in application.people if p.member_id]
        assert len(member_ids) == len(set(member_ids))
    first, last = application.transitions[0], application.transitions[-1]
    assert first.from_status is None and last.to_status is application.status
