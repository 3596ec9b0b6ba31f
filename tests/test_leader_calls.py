"""Calls for leaders, through their services: the checks of what an administrator types
(nothing written on a refusal), the call's states, who sees a draft, and the public lists
(their queries constant in the number of calls)."""

from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import (
    ApplicationStatus,
    AuditEntry,
    CallCriterion,
    CallStatus,
    LeadershipCall,
    Theme,
)
from convene.services import InvalidInput, NotFound, PermissionDenied, leaders
from convene.services.leaders import CriterionInput, IllegalTransition

from .factories import make_user
from .leader_factories import Group, call_input, make_application, make_call, today


@pytest.fixture
def admin(app):
    return make_user(roles=["admin"])


def rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(LeadershipCall.id))),
        db.session.scalar(select(func.count(CallCriterion.id))),
    )


def test_an_administrator_writes_a_call_with_ordered_weighted_translated_criteria(admin):
    criteria = [
        CriterionInput(
            title="Record", weight=3, translations={"es": {"title": "Trayectoria"}, "fr": {}}
        ),
        CriterionInput(title="Reach", weight=1),
    ]
    call = leaders.create_call(admin, call_input(criteria=criteria))
    db.session.commit()
    assert call.status is CallStatus.DRAFT
    assert [(c.position, c.title, c.weight) for c in call.criteria] == [
        (0, "Record", 3),
        (1, "Reach", 1),
    ]
    assert call.criteria[0].translations == {"es": {"title": "Trayectoria"}}
    assert call.translations == {"fr": {"title": "Leaders pour la justice ouverte"}}
    assert call.created_by_id == admin.id
    logged = db.session.scalars(select(AuditEntry.action)).all()
    assert logged == ["leadership_call.created"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "  "}, "title"),
        ({"closes_on": today() - timedelta(days=5)}, "closes_on"),  # before it opens
        ({"closes_on": today() - timedelta(days=1)}, "closes_on"),  # the day it opens
        ({"term_ends_on": today() + timedelta(days=60)}, "term_ends_on"),  # = its start
        ({"theme_id": None, "programme_area": ""}, "theme_id"),
        ({"theme_id": 999_999}, "theme_id"),
        ({"criteria": []}, "criteria"),
        ({"criteria": [CriterionInput(title="Reach", weight=0)]}, "criteria.0.weight"),
        ({"criteria": [CriterionInput(title="Reach", weight=-2)]}, "criteria.0.weight"),
        ({"criteria": [CriterionInput(title="Reach", weight=None)]}, "criteria.0.weight"),
        ({"criteria": [CriterionInput(title="", weight=2)]}, "criteria.0.title"),
        ({"translations": {"de": {"title": "Führung"}}}, "translations.de"),
        (
            {"criteria": [CriterionInput(title="A", translations={"en": {"title": "A"}})]},
            "criteria.0.translations.en",
        ),
        ({"opens_on": None}, "opens_on"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(admin, changes, field):
    with pytest.raises(InvalidInput) as refused:
        leaders.create_call(admin, call_input(**changes))
    assert field in refused.value.fields
    db.session.rollback()
    assert rows() == (0, 0)


def test_one_refusal_names_every_problem(admin):
    with pytest.raises(InvalidInput) as refused:
        leaders.create_call(
            admin,
            call_input(
                title="",
                closes_on=today() - timedelta(days=5),
                criteria=[CriterionInput(title="A", weight=0), CriterionInput(title="B", weight=2)],
            ),
        )
    assert {"title", "closes_on", "criteria.0.weight"} <= set(refused.value.fields)
    assert "criteria.1.weight" not in refused.value.fields


def test_a_programme_area_stands_for_a_theme(admin):
    call = leaders.create_call(admin, call_input(theme_id=None, programme_area="Local programme"))
    assert call.theme_id is None and call.programme_area == "Local programme"


def test_only_administrators_write_open_and_close_calls(admin, app):
    someone = make_user()
    with pytest.raises(PermissionDenied):
        leaders.create_call(someone, call_input())
    call = make_call(admin, status="draft")
    with pytest.raises(PermissionDenied):
        leaders.open_call(someone, call)
    with pytest.raises(PermissionDenied):
        leaders.update_call(someone, call, call_input(title="Mine"))


def test_a_call_moves_draft_open_closed_and_not_backwards(admin):
    call = make_call(admin, status="draft")
    leaders.open_call(admin, call)
    assert call.status is CallStatus.OPEN
    with pytest.raises(IllegalTransition):
        leaders.open_call(admin, call)
    leaders.close_call(admin, call)
    assert call.status is CallStatus.CLOSED
    with pytest.raises(IllegalTransition):
        leaders.open_call(admin, call)
    with pytest.raises(IllegalTransition):
        leaders.update_call(admin, call, call_input())
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "leadership_call.created",
        "leadership_call.open",
        "leadership_call.closed",
    ]


def test_a_call_whose_closing_day_is_past_cannot_open(admin):
    call = make_call(admin, status="draft")
    call.opens_on, call.closes_on = today() - timedelta(days=10), today() - timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        leaders.open_call(admin, call)
    assert "closes_on" in refused.value.fields
    assert call.status is CallStatus.DRAFT


def test_an_open_calls_criteria_are_fixed_but_its_words_may_change(admin):
    call = make_call(admin)
    reworded = call_input(
        description="New words.",
        criteria=[
            CriterionInput(title="Record of reform", description="Clearer.", weight=3),
            CriterionInput(title="Reach", weight=1),
        ],
    )
    leaders.update_call(admin, call, reworded)
    assert call.description == "New words." and call.criteria[0].description == "Clearer."
    with pytest.raises(IllegalTransition):
        leaders.update_call(admin, call, call_input(criteria=[CriterionInput("Reach", weight=5)]))


def test_a_draft_is_seen_by_administrators_only(admin):
    call = make_call(admin, status="draft")
    assert leaders.get_call(admin, call.id) is call
    for person in (None, make_user(), make_user(roles=["reviewer"])):
        with pytest.raises(NotFound):
            leaders.get_call(person, call.id)
    leaders.open_call(admin, call)
    assert leaders.get_call(None, call.id) is call
    with pytest.raises(NotFound):
        leaders.get_call(admin, 999_999)


def test_open_calls_are_those_taking_applications_today(admin):
    draft = make_call(admin, status="draft", title="Draft")
    open_ = make_call(admin, title="Open")
    closed = make_call(admin, status="closed", title="Closed")
    lapsed = make_call(admin, title="Lapsed")
    lapsed.opens_on, lapsed.closes_on = today() - timedelta(days=9), today() - timedelta(days=1)
    other_theme = db.session.scalar(select(Theme).where(Theme.slug != "open-justice"))
    elsewhere = make_call(admin, title="Elsewhere", theme_id=other_theme.id)
    db.session.commit()
    assert {c.title for c in leaders.open_calls()} == {"Open", "Elsewhere"}
    assert [c.title for c in leaders.calls_for_theme(open_.theme)] == ["Open"]
    assert leaders.calls_for_theme(elsewhere.theme) == [elsewhere]
    assert draft not in leaders.open_calls() and closed not in leaders.open_calls()


def count_statements(work) -> int:
    seen = []

    def listener(*args):
        seen.append(args[2])

    work()  # once to warm up: the session's first statement begins its transaction
    db.session.expire_all()
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for call in work():
            [c.title for c in call.criteria]  # noqa: B018 - reading is the point
            call.theme.name()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_public_lists_take_as_many_queries_for_many_calls_as_for_one(admin):
    call = make_call(admin)
    theme = call.theme
    one = count_statements(leaders.open_calls)
    one_of_theme = count_statements(lambda: leaders.calls_for_theme(theme))
    for n in range(6):
        make_call(admin, title=f"Call {n}")
    assert len(leaders.open_calls()) == len(leaders.calls_for_theme(theme)) == 7
    assert count_statements(leaders.open_calls) == one
    assert count_statements(lambda: leaders.calls_for_theme(theme)) == one_of_theme


def test_a_closed_call_is_decided_once_no_application_awaits_a_decision(app):
    group = Group()
    application = make_application(group, submitted=True)
    call = group.call
    assert not leaders.mark_decided_if_done(call)  # open: applications may still come
    leaders.close_call(group.admin, call)
    assert not leaders.mark_decided_if_done(call)  # one is submitted
    leaders.lock(application)
    leaders.transition(
        application, group.admin, {ApplicationStatus.SUBMITTED}, ApplicationStatus.IN_REVIEW
    )
    leaders.transition(
        application, group.admin, {ApplicationStatus.IN_REVIEW}, ApplicationStatus.DECLINED
    )
    assert leaders.mark_decided_if_done(call, group.admin)
    assert call.status is CallStatus.DECIDED and call.decided_at is not None
    assert not leaders.mark_decided_if_done(call)
