"""Leaderships, called directly and from the command line: the current ones, inviting
members during the term, the term's end with one notice before it, the renewal call."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene import policy
from convene.extensions import db
from convene.models import (
    AuditEntry,
    CallStatus,
    Leadership,
    LeadershipCall,
    LeadershipPerson,
    LeadershipStatus,
    OutboxMessage,
    Sector,
    Theme,
)
from convene.services import Conflict, InvalidInput, NotFound, PermissionDenied
from convene.services.leaders import decisions, leaderships

from .conftest import outbox_to
from .factories import make_focal_point, make_member, make_user
from .leaders_data import LeaderCast, make_application, make_call, make_leadership, today


@pytest.fixture
def cast(app):
    return LeaderCast()


def kinds_to(person) -> list[str]:
    return [m.kind for m in outbox_to(person.email)]


# The current leaderships -------------------------------------------------------------


def test_current_leaderships_are_the_active_ones_by_theme(cast):
    justice = make_leadership(cast, name="Justice leaders")
    ended = make_leadership(cast, status=LeadershipStatus.ENDED)
    youth = make_leadership(cast, name="Youth leaders", theme="youth")
    found = leaderships.current_leaderships()
    assert ended not in found
    positions = {t.id: (t.position, t.slug) for t in db.session.scalars(select(Theme))}
    assert [leadership.id for leadership in found] == [
        x.id for x in sorted([justice, youth], key=lambda x: positions[x.theme_id])
    ]
    assert leaderships.get_leadership(ended.slug) is ended
    with pytest.raises(NotFound):
        leaderships.get_leadership("no-such-leaders")


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


def listing_statements(cast, n: int) -> int:
    for _ in range(n):
        make_leadership(cast)
    db.session.expire_all()
    with counted() as seen:
        found = leaderships.current_leaderships()
        for leadership in found:
            (leadership.theme.name(), [p.member.name for p in leadership.people])
    assert len(found) == db.session.scalar(select(func.count(Leadership.id)))
    return len(seen)


def test_current_leaderships_take_as_many_queries_for_many_as_for_few(cast):
    assert listing_statements(cast, 2) == listing_statements(cast, 12)


def test_leads_theme_is_for_focal_points_of_an_active_leaderships_members(cast):
    justice = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
    youth = db.session.scalar(select(Theme).where(Theme.slug == "youth"))
    leadership = make_leadership(cast)
    assert policy.leads_theme(cast.gov_focal, justice)
    assert leaderships.leads_theme(cast.cso_focal, justice)
    assert not policy.leads_theme(cast.gov_focal, youth)
    assert not policy.leads_theme(cast.other_focal, justice)
    assert not policy.leads_theme(None, justice)
    leadership.status = LeadershipStatus.ENDED
    db.session.commit()
    assert not policy.leads_theme(cast.gov_focal, justice)


# Inviting members ------------------------------------------------------------------


def test_an_administrator_adds_a_member_at_once(cast):
    leadership = make_leadership(cast)
    person = leaderships.invite_member(cast.admin, leadership, cast.other)
    db.session.commit()
    assert person.member_id == cast.other.id and person.joined_on == today()
    assert (person.sector, person.country) == (Sector.GOVERNMENT, "AR")
    assert kinds_to(cast.other_focal) == ["leadership_joined"]
    with pytest.raises(Conflict, match="already in this leadership"):
        leaderships.invite_member(cast.admin, leadership, cast.other)


def test_a_leader_invites_and_the_members_focal_point_accepts(cast):
    leadership = make_leadership(cast)
    assert leaderships.invite_member(cast.gov_focal, leadership, cast.other) is None
    db.session.commit()
    assert cast.other.id not in policy.leadership_member_ids(leadership)
    [invitation] = outbox_to(cast.other_focal.email)
    assert invitation.kind == "leadership_invitation"
    # The page to accept it comes with the leaders' pages; until then, the site's home.
    assert "http://convene.test/" in invitation.body_text
    token = leaderships.invitation_token(leadership, cast.other)
    with pytest.raises(PermissionDenied):
        leaderships.accept_invitation(cast.gov_focal, token)
    with pytest.raises(NotFound):
        leaderships.accept_invitation(cast.other_focal, token + "x")
    person = leaderships.accept_invitation(cast.other_focal, token)
    db.session.commit()
    assert person.leadership_id == leadership.id
    with pytest.raises(Conflict):
        leaderships.accept_invitation(cast.other_focal, token)


def test_a_leader_who_speaks_for_the_member_adds_it_at_once(cast):
    leadership = make_leadership(cast)
    make_focal_point(cast.other, cast.gov_focal)
    assert leaderships.invite_member(cast.gov_focal, leadership, cast.other) is not None


def test_only_leaders_and_administrators_invite_during_the_term(cast):
    leadership = make_leadership(cast)
    newcomer = make_member()
    for person in (cast.other_focal, cast.reviewer, make_user()):
        with pytest.raises(PermissionDenied):
            leaderships.invite_member(person, leadership, newcomer)
    token = leaderships.invitation_token(leadership, cast.other)
    leadership.status = LeadershipStatus.ENDED
    db.session.commit()
    with pytest.raises(PermissionDenied):
        leaderships.invite_member(cast.admin, leadership, newcomer)
    with pytest.raises(Conflict, match="ended"):
        leaderships.accept_invitation(cast.other_focal, token)
    assert db.session.scalar(select(func.count(LeadershipPerson.id))) == 2


# The term's end --------------------------------------------------------------------


def terms(cast):
    """Leaderships whose term ended yesterday, ends today, in ten days, in a hundred days,
    and one without a term end."""
    return {
        "over": make_leadership(cast, ends_in_days=-1),
        "last_day": make_leadership(cast, ends_in_days=0),
        "soon": make_leadership(cast, ends_in_days=10),
        "later": make_leadership(cast, ends_in_days=100),
        "open_ended": make_leadership(cast, ends_in_days=None),
    }


def check_terms(made) -> None:
    db.session.expire_all()
    status = {name: db.session.get(Leadership, x.id) for name, x in made.items()}
    assert {n for n, x in status.items() if x.status is LeadershipStatus.ENDED} == {"over"}
    assert status["over"].ended_at is not None
    assert {n for n, x in status.items() if x.ending_notice_at} == {"last_day", "soon"}


def test_the_job_ends_terms_and_tells_leaders_once_before(cast):
    from convene import jobs

    made = terms(cast)
    report = jobs.end_leadership_terms()
    assert (report.ended, report.noticed) == (1, 2)
    check_terms(made)
    # One notice per leadership ending soon, to each focal point of its members.
    assert kinds_to(cast.gov_focal) == ["leadership_ending"] * 2
    assert kinds_to(cast.conflicted) == ["leadership_ending"] * 2
    assert jobs.end_leadership_terms() == (0, 0)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2 * 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "leadership.ended"))
    assert entry.object_id == made["over"].id and entry.actor_label == "system"


def test_the_command_ends_terms_and_says_what_it_did(app, cast):
    made = terms(cast)
    result = app.test_cli_runner().invoke(args=["leaders", "end-terms"])
    assert result.exit_code == 0, result.output
    assert "Ended 1 leaderships; told 2 that their term ends soon." in result.output
    check_terms(made)
    again = app.test_cli_runner().invoke(args=["leaders", "end-terms"])
    assert "Ended 0 leaderships; told 0" in again.output


def test_the_notice_goes_to_individuals_with_an_account_too(cast):
    leadership = make_leadership(cast, ends_in_days=5)
    leadership.people.append(
        LeadershipPerson(
            user_id=cast.activist.id, name="Ana", sector=Sector.CIVIL_SOCIETY, country="BR"
        )
    )
    db.session.commit()
    leaderships.end_terms()
    assert kinds_to(cast.activist) == ["leadership_ending"]
    assert "ends on" in outbox_to(cast.activist.email)[0].body_text


# Renewal ---------------------------------------------------------------------------


def appointed(cast) -> Leadership:
    call = make_call(criteria=(("Record", 3), ("Reach", 1)), description="Lead the way.")
    application = make_application(call, cast)
    leadership = decisions.decide(cast.admin, application, "appoint", "Yes.")
    db.session.commit()
    return leadership


def new_term(**changes):
    start = today() + timedelta(days=400)
    dates = dict(
        opens_on=today() + timedelta(days=300),
        closes_on=today() + timedelta(days=350),
        term_starts_on=start,
        term_ends_on=start + timedelta(days=730),
    )
    dates.update(changes)
    return dates


def test_a_renewal_call_copies_the_previous_call(cast):
    leadership = appointed(cast)
    previous = leadership.application.call
    call = leaderships.open_renewal_call(cast.admin, leadership, **new_term())
    db.session.commit()
    assert leadership.renewal_call_id == call.id
    assert call.status is CallStatus.DRAFT and call.id != previous.id
    assert (call.theme_id, call.title, call.description) == (
        previous.theme_id,
        previous.title,
        "Lead the way.",
    )
    assert [(c.title, c.weight) for c in call.criteria] == [("Record", 3), ("Reach", 1)]
    assert {c.id for c in call.criteria}.isdisjoint({c.id for c in previous.criteria})
    assert call.term_starts_on == today() + timedelta(days=400)
    with pytest.raises(Conflict):
        leaderships.open_renewal_call(cast.admin, leadership, **new_term())


def test_a_leadership_without_a_call_is_renewed_with_an_empty_call(cast):
    leadership = make_leadership(cast, ends_in_days=None, name="Carried over")
    call = leaderships.open_renewal_call(cast.admin, leadership, **new_term())
    assert (call.title, call.criteria) == ("Carried over", [])


def test_renewal_dates_and_rights_are_checked(cast):
    leadership = appointed(cast)
    with pytest.raises(InvalidInput) as refused:
        leaderships.open_renewal_call(
            cast.admin,
            leadership,
            **new_term(closes_on=today(), term_ends_on=today() + timedelta(days=400)),
        )
    assert set(refused.value.fields) == {"closes_on", "term_ends_on"}
    with pytest.raises(InvalidInput) as refused:
        leaderships.open_renewal_call(cast.admin, leadership, **new_term(opens_on="soon"))
    assert set(refused.value.fields) == {"opens_on"}
    with pytest.raises(PermissionDenied):
        leaderships.open_renewal_call(cast.gov_focal, leadership, **new_term())
    assert db.session.scalar(select(func.count(LeadershipCall.id))) == 1


# Who may, as a matrix ------------------------------------------------------------------


def test_the_leadership_rules_as_a_matrix(cast):
    leadership = make_leadership(cast)
    people = {
        "admin": cast.admin,
        "leader": cast.gov_focal,
        "outsider": cast.other_focal,
        "reviewer": cast.reviewer,
        "anonymous": None,
    }
    expected = {
        # (manage, invite, renew) while the term runs
        "admin": (True, True, True),
        "leader": (True, True, False),
        "outsider": (False, False, False),
        "reviewer": (False, False, False),
        "anonymous": (False, False, False),
    }
    for name, person in people.items():
        found = (
            policy.can_manage_leadership(person, leadership),
            policy.can_invite_to_leadership(person, leadership),
            policy.can_open_renewal_call(person, leadership),
        )
        assert found == expected[name], name
    leadership.status = LeadershipStatus.ENDED
    assert not policy.can_manage_leadership(cast.gov_focal, leadership)
    assert not policy.can_invite_to_leadership(cast.admin, leadership)
    assert policy.can_open_renewal_call(cast.admin, leadership)
