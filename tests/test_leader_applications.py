"""Applications to a call, through their services: starting one, the group (members who
confirm, individuals), the multi-stakeholder rule for each kind and sector and its
waiver, the balance, statements and activities, submission and withdrawal, who sees it,
and the e-mails each step queues."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import (
    ApplicationPerson,
    ApplicationStatus,
    ApplicationTransition,
    AuditEntry,
    LeadershipApplication,
    MemberKind,
    OutboxMessage,
    ParticipantStatus,
    Sector,
)
from convene.services import Conflict, InvalidInput, NotFound, PermissionDenied, leaders
from convene.services.leaders import ActivityInput, ApplicationInput, IllegalTransition
from convene.services.leaders.groups import member_sector

from .conftest import outbox_to
from .factories import make_focal_point, make_member, make_user
from .leader_factories import Group, individual, make_application, make_call, today

S = ApplicationStatus


@pytest.fixture
def group(app):
    return Group()


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count(model.id)))
        for model in (LeadershipApplication, ApplicationPerson, ApplicationTransition)
    )


# Starting ---------------------------------------------------------------------------


def test_any_signed_in_person_starts_a_draft_recorded_once(group):
    application = leaders.start_application(
        group.outsider, group.call, ApplicationInput(name="Open courts network", summary="Us.")
    )
    db.session.commit()
    assert application.status is S.DRAFT and application.round == 1
    assert [(t.from_status, t.to_status) for t in application.transitions] == [(None, S.DRAFT)]
    assert application.created_by_id == group.outsider.id


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_no_application_to_a_call_that_is_not_open(group, status):
    call = make_call(group.admin, status=status)
    with pytest.raises((IllegalTransition, NotFound)):
        leaders.start_application(group.creator, call, ApplicationInput(name="Late"))
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_no_application_once_the_closing_day_is_past(group):
    group.call.opens_on = today() - timedelta(days=20)
    group.call.closes_on = today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(IllegalTransition):
        leaders.start_application(group.creator, group.call, ApplicationInput(name="Late"))
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_a_nameless_group_is_refused(group):
    with pytest.raises(InvalidInput) as refused:
        leaders.start_application(group.creator, group.call, ApplicationInput(name=" "))
    assert "name" in refused.value.fields
    with pytest.raises(PermissionDenied):
        leaders.start_application(None, group.call, ApplicationInput(name="Anonymous"))


# The group --------------------------------------------------------------------------


def test_a_member_asked_to_join_is_invited_and_its_focal_points_emailed(group):
    application = make_application(group)
    [government] = application.people
    assert government.status is ParticipantStatus.CONFIRMED  # the creator speaks for it
    assert outbox_to(group.creator.email) == []
    second = make_focal_point(group.civil_society, make_user()).user
    person = leaders.add_member(group.creator, application, group.civil_society.id)
    db.session.commit()
    assert person.status is ParticipantStatus.INVITED
    assert person.sector is Sector.CIVIL_SOCIETY and person.country == "KE"
    for focal_point in (group.society, second):
        [message] = outbox_to(focal_point.email)
        assert message.kind == "leadership_member_invitation"
        assert f"/leaders/applications/{application.id}" in message.body_text
    assert outbox_to(group.mayor.email) == []


def test_a_member_added_twice_is_refused_and_nothing_changes(group):
    application = make_application(group)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        leaders.add_member(group.creator, application, group.government.id)
    assert "member_id" in refused.value.fields
    db.session.rollback()
    assert counts() == before
    with pytest.raises(InvalidInput):
        leaders.add_member(group.creator, application, 999_999)


def test_a_focal_point_confirms_and_the_group_hears_of_it(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.civil_society.id)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        leaders.respond(group.mayor, application, group.civil_society.id, True)
    with pytest.raises(NotFound):
        leaders.respond(group.mayor, application, group.city.id, True)
    person = leaders.respond(group.society, application, group.civil_society.id, True)
    db.session.commit()
    assert person.status is ParticipantStatus.CONFIRMED
    assert person.responded_by_id == group.society.id
    [message] = outbox_to(group.creator.email)
    assert message.kind == "leadership_member_response"
    # The member that answered is not told of its own answer.
    assert [m.kind for m in outbox_to(group.society.email)] == ["leadership_member_invitation"]
    # Now a confirmed member's focal point, it may change the application too.
    leaders.update_application(group.society, application, ApplicationInput(name="Renamed"))
    assert application.name == "Renamed"


def test_individuals_join_with_their_private_address_and_consent(group):
    application = make_application(group)
    account = make_user(email="ana@example.org")
    person = leaders.add_individual(group.creator, application, individual())
    db.session.commit()
    assert person.status is ParticipantStatus.CONFIRMED and person.is_individual
    assert person.user_id == account.id and person.shown_publicly
    # The log never keeps the name or the address (it outlives an erased account).
    logged = " ".join(
        str(e.summary) + str(e.details) for e in db.session.scalars(select(AuditEntry))
    )
    assert "ana@example.org" not in logged and "Ana Activist" not in logged
    with pytest.raises(InvalidInput) as refused:
        leaders.add_individual(group.creator, application, individual(email="ANA@example.org"))
    assert "email" in refused.value.fields


def test_an_individual_with_bad_fields_is_refused_naming_each(group):
    application = make_application(group)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        leaders.add_individual(
            group.creator,
            application,
            individual(name="", email="not-an-address", sector="astronaut", country="XX"),
        )
    assert {"name", "email", "sector", "country"} <= set(refused.value.fields)
    db.session.rollback()
    assert counts() == before


def test_a_call_for_members_only_refuses_individuals(group):
    group.call.individuals_welcome = False
    application = make_application(group)
    with pytest.raises(Conflict):
        leaders.add_individual(group.creator, application, individual())


def test_a_person_is_taken_out_of_the_group(group):
    application = make_application(group)
    person = leaders.add_individual(group.creator, application, individual())
    db.session.commit()
    leaders.remove_person(group.creator, application, person.id)
    db.session.commit()
    assert [p.member_id for p in application.people] == [group.government.id]
    with pytest.raises(NotFound):
        leaders.remove_person(group.creator, application, person.id)


def test_only_the_groups_builders_change_it(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.civil_society.id)  # invited only
    for person in (group.outsider, group.society, group.reviewer, group.mayor):
        with pytest.raises(PermissionDenied):
            leaders.add_individual(person, application, individual())
        with pytest.raises(PermissionDenied):
            leaders.update_application(person, application, ApplicationInput(name="Mine"))


# The multi-stakeholder rule ---------------------------------------------------------


def _member_person(kind, status=ParticipantStatus.CONFIRMED):
    member = make_member(kind=kind)
    return ApplicationPerson(member=member, sector=member_sector(kind), country="FR", status=status)


def _individual(sector):
    return ApplicationPerson(name="Someone", sector=sector, country="FR")


PUBLIC = {MemberKind.NATIONAL_GOVERNMENT, MemberKind.LOCAL_GOVERNMENT}


@pytest.mark.parametrize("kind", list(MemberKind))
def test_each_member_kind_counts_on_its_side(app, kind):
    person = _member_person(kind)
    with_society = [person, _individual(Sector.CIVIL_SOCIETY)]
    with_government = [person, _individual(Sector.GOVERNMENT)]
    assert leaders.is_multi_stakeholder(with_society) is (kind in PUBLIC)
    assert leaders.is_multi_stakeholder(with_government) is (kind is MemberKind.CIVIL_SOCIETY)


@pytest.mark.parametrize("sector", list(Sector))
def test_each_individuals_sector_counts_on_its_side(app, sector):
    government = _member_person(MemberKind.NATIONAL_GOVERNMENT)
    society = _member_person(MemberKind.CIVIL_SOCIETY)
    assert leaders.is_multi_stakeholder([government, _individual(sector)]) is (
        sector is Sector.CIVIL_SOCIETY
    )
    assert leaders.is_multi_stakeholder([society, _individual(sector)]) is (
        sector is Sector.GOVERNMENT
    )


@pytest.mark.parametrize("status", [ParticipantStatus.INVITED, ParticipantStatus.DECLINED])
def test_a_member_counts_only_once_confirmed(app, status):
    government = _member_person(MemberKind.NATIONAL_GOVERNMENT)
    society = _member_person(MemberKind.CIVIL_SOCIETY, status)
    assert not leaders.is_multi_stakeholder([government, society])
    society.status = ParticipantStatus.CONFIRMED
    assert leaders.is_multi_stakeholder([government, society])


def test_the_balance_counts_those_taking_part(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.city.id, on_steering_committee=True)
    leaders.add_individual(group.creator, application, individual(on_steering_committee=True))
    balance = leaders.balance(application)
    assert balance.by_sector == {Sector.GOVERNMENT: 1, Sector.CIVIL_SOCIETY: 1}
    assert balance.by_region == {"europe": 1, "americas": 1}
    assert (balance.on_steering_committee, balance.off_steering_committee) == (1, 1)
    assert balance.invited == 1 and balance.multi_stakeholder and not balance.waived


def test_a_group_of_governments_only_cannot_submit_unless_waived(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.city.id)
    leaders.respond(group.mayor, application, group.city.id, True)
    texts = {c.id: "Yes." for c in group.call.criteria}
    leaders.save_statements(group.creator, application, texts)
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        leaders.submit(group.creator, application)
    assert list(refused.value.fields) == ["multi_stakeholder"]
    db.session.rollback()
    assert application.status is S.DRAFT and len(application.transitions) == 1
    with pytest.raises(PermissionDenied):
        leaders.waive_multi_stakeholder(group.creator, application, "We are many.")
    with pytest.raises(InvalidInput):
        leaders.waive_multi_stakeholder(group.admin, application, "  ")
    leaders.waive_multi_stakeholder(group.admin, application, "Two levels of government.")
    assert application.waived_by_id == group.admin.id and application.waived_at is not None
    leaders.submit(group.creator, application)
    assert application.status is S.SUBMITTED


# Submission and withdrawal -----------------------------------------------------------


def test_an_incomplete_application_names_everything_it_lacks(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.civil_society.id)
    with pytest.raises(InvalidInput) as refused:
        leaders.submit(group.creator, application)
    criteria = {f"statements.{c.id}" for c in group.call.criteria}
    assert set(refused.value.fields) == criteria | {"people", "multi_stakeholder"}


def test_statements_are_for_the_calls_criteria_only(group):
    application = make_application(group)
    other = make_call(group.admin, title="Another call")
    with pytest.raises(InvalidInput):
        leaders.save_statements(group.creator, application, {other.criteria[0].id: "Sneaky."})
    first = group.call.criteria[0].id
    leaders.save_statements(group.creator, application, {first: "We did."})
    leaders.save_statements(group.creator, application, {first: ""})
    assert application.statements == []


def test_activities_are_planned_within_the_term(group):
    application = make_application(group)
    call = group.call
    with pytest.raises(InvalidInput) as refused:
        leaders.add_activity(
            group.creator,
            application,
            ActivityInput(kind="party", title="", planned_for=call.term_ends_on + timedelta(1)),
        )
    assert set(refused.value.fields) == {"kind", "title", "planned_for"}
    activity = leaders.add_activity(
        group.creator,
        application,
        ActivityInput(kind="event", title="Open courts day", planned_for=call.term_starts_on),
    )
    db.session.commit()
    assert [a.title for a in application.activities] == ["Open courts day"]
    leaders.remove_activity(group.creator, application, activity.id)
    assert application.activities == []


def test_submission_emails_the_groups_people_and_is_logged(group):
    application = make_application(group, complete=True)
    linked = make_user(email="ana@example.org")
    leaders.add_individual(group.creator, application, individual())
    db.session.commit()
    leaders.submit(group.creator, application, "Here we are.")
    db.session.commit()
    assert application.status is S.SUBMITTED and application.submitted_at is not None
    status_mail = select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "leadership_application_status"
    )
    assert set(db.session.scalars(status_mail)) == {
        group.creator.email,
        group.society.email,
        linked.email,
    }
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "leadership_application.submitted")
    )
    assert entry.object_id == application.id and entry.details["comment"] == "Here we are."


def test_a_submitted_application_is_no_longer_edited_nor_submitted_again(group):
    application = make_application(group, submitted=True)
    with pytest.raises(IllegalTransition):
        leaders.submit(group.creator, application)
    with pytest.raises(IllegalTransition):
        leaders.add_individual(group.creator, application, individual())


def test_a_draft_cannot_be_submitted_once_the_call_closed(group):
    application = make_application(group, complete=True)
    leaders.close_call(group.admin, group.call)
    with pytest.raises(IllegalTransition):
        leaders.submit(group.creator, application)


def test_a_resubmission_opens_a_round_even_after_the_call_closed(group):
    application = make_application(group, submitted=True)
    leaders.close_call(group.admin, group.call)
    for new in (S.IN_REVIEW, S.CHANGES_REQUESTED):
        leaders.transition(application, group.admin, {application.status}, new)
    leaders.submit(group.creator, application)
    assert application.status is S.SUBMITTED and application.round == 2


def test_withdrawal_from_any_open_state_and_then_nothing(group):
    application = make_application(group, submitted=True)
    with pytest.raises(PermissionDenied):
        leaders.withdraw(group.outsider, application)
    leaders.withdraw(group.creator, application, "Not this year.")
    assert application.status is S.WITHDRAWN
    with pytest.raises(IllegalTransition):
        leaders.withdraw(group.creator, application)


def test_a_withdrawal_can_leave_a_closed_call_decided(group):
    application = make_application(group, submitted=True)
    leaders.close_call(group.admin, group.call)
    leaders.withdraw(group.creator, application)
    assert group.call.status.value == "decided"


def test_transition_refuses_a_move_off_the_graph_even_if_allowed(group):
    application = make_application(group)
    with pytest.raises(IllegalTransition):
        leaders.transition(application, group.admin, {S.DRAFT}, S.APPOINTED)
    with pytest.raises(IllegalTransition):
        leaders.transition(application, group.admin, {S.SUBMITTED}, S.IN_REVIEW)
    assert application.status is S.DRAFT


# Seeing ---------------------------------------------------------------------------


def test_who_sees_an_application(group):
    application = make_application(group)
    leaders.add_member(group.creator, application, group.civil_society.id)  # invited
    db.session.commit()
    for person in (group.creator, group.society, group.admin):
        assert leaders.get_application(person, application.id) is application
    for person in (None, group.outsider, group.mayor, group.reviewer):
        with pytest.raises(NotFound):
            leaders.get_application(person, application.id)
    leaders.respond(group.society, application, group.civil_society.id, True)
    leaders.save_statements(group.creator, application, {c.id: "Yes." for c in group.call.criteria})
    leaders.submit(group.creator, application)
    assert leaders.get_application(group.reviewer, application.id) is application
    with pytest.raises(NotFound):
        leaders.get_application(group.outsider, application.id)
