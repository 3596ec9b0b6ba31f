"""convene.policy for the leadership programme's calls and applications, one table: every
rule asked of every person, so that a changed rule shows as a changed cell (the style of
tests/test_policy.py)."""

from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from convene import policy
from convene.extensions import db
from convene.models import ApplicationStatus
from convene.services import PermissionDenied, leaders

from .factories import make_user
from .leader_factories import Group, individual, make_application, make_call

PEOPLE = [
    "nobody",
    "visitor",
    "outsider",
    "creator",  # started the application; speaks for the government in it
    "member_focal_point",  # speaks for the confirmed civil-society member
    "invited_focal_point",  # speaks for a member asked to join, not answered yet
    "individual",  # an individual of the group, linked to their account
    "reviewer",
    "admin",
    "system",
]


def only(*allowed: str) -> dict[str, bool]:
    return {person: person in allowed for person in PEOPLE}


EVERYONE = only(*PEOPLE)
ADMINISTRATORS = only("admin", "system")
PEOPLE_SIGNED_IN = only(*PEOPLE[2:-1])  # every person, not the console
BUILDERS = ("creator", "member_focal_point")
GROUP = (*BUILDERS, "invited_focal_point", "individual")

RULES = {
    "can_manage_calls": ADMINISTRATORS,
    "can_see_call(draft)": ADMINISTRATORS,
    "can_see_call(open)": EVERYONE,
    "can_see_call(closed)": EVERYONE,
    "can_apply": PEOPLE_SIGNED_IN,
    "can_edit_application(draft)": only(*BUILDERS),
    "can_edit_application(submitted)": only(),
    "can_confirm_participation(invited member)": only("invited_focal_point"),
    "can_confirm_participation(confirmed member)": only("member_focal_point"),
    "can_waive_rule": ADMINISTRATORS,
    "can_withdraw_application": only(*BUILDERS, "admin", "system"),
    "can_see_application(draft)": only(*GROUP, "admin", "system"),
    "can_see_application(submitted)": only(*GROUP, "reviewer", "admin", "system"),
}


def group_application(group):
    """The creator's application: the government and civil society confirmed, the city
    asked to join, and Ana (who has an account) as an individual."""
    application = make_application(group, complete=True)
    leaders.add_member(group.creator, application, group.city.id)
    leaders.add_individual(group.creator, application, individual())
    return application


@pytest.fixture
def world(app):
    group = Group()
    someone = make_user(email="ana@example.org")
    draft = group_application(group)
    submitted = group_application(group)
    # Straight to submitted: the rules read the status only (the city has not answered).
    leaders.transition(
        submitted, group.admin, {ApplicationStatus.DRAFT}, ApplicationStatus.SUBMITTED
    )
    db.session.commit()
    return SimpleNamespace(
        group=group,
        draft=draft,
        submitted=submitted,
        draft_call=make_call(group.admin, status="draft"),
        closed_call=make_call(group.admin, status="closed"),
        people={
            "nobody": None,
            "visitor": AnonymousUserMixin(),
            "outsider": group.outsider,
            "creator": group.creator,
            "member_focal_point": group.society,
            "invited_focal_point": group.mayor,
            "individual": someone,
            "reviewer": group.reviewer,
            "admin": group.admin,
            "system": policy.SYSTEM,
        },
    )


def ask(w, rule: str, user) -> bool:
    g = w.group
    questions = {
        "can_manage_calls": lambda: policy.can_manage_calls(user),
        "can_see_call(draft)": lambda: policy.can_see_call(user, w.draft_call),
        "can_see_call(open)": lambda: policy.can_see_call(user, g.call),
        "can_see_call(closed)": lambda: policy.can_see_call(user, w.closed_call),
        "can_apply": lambda: policy.can_apply(user),
        "can_edit_application(draft)": lambda: policy.can_edit_application(user, w.draft),
        "can_edit_application(submitted)": lambda: policy.can_edit_application(user, w.submitted),
        "can_confirm_participation(invited member)": lambda: policy.can_confirm_participation(
            user, g.city.id
        ),
        "can_confirm_participation(confirmed member)": lambda: policy.can_confirm_participation(
            user, g.civil_society.id
        ),
        "can_waive_rule": lambda: policy.can_waive_rule(user, w.draft),
        "can_withdraw_application": lambda: policy.can_withdraw_application(user, w.draft),
        "can_see_application(draft)": lambda: policy.can_see_application(user, w.draft),
        "can_see_application(submitted)": lambda: policy.can_see_application(user, w.submitted),
    }
    return bool(questions[rule]())


def test_every_rule_for_every_person(world):
    answers = {
        rule: {person: ask(world, rule, user) for person, user in world.people.items()}
        for rule in RULES
    }
    assert answers == RULES


REQUIRES = {
    "require_manage_calls": lambda w, user: policy.require_manage_calls(user),
    "require_apply": lambda w, user: policy.require_apply(user),
    "require_confirm_participation": lambda w, user: policy.require_confirm_participation(
        user, w.group.city.id
    ),
    "require_waive_rule": lambda w, user: policy.require_waive_rule(user, w.draft),
    "require_withdraw_application": lambda w, user: policy.require_withdraw_application(
        user, w.draft
    ),
}
ASKS = {
    "require_manage_calls": "can_manage_calls",
    "require_apply": "can_apply",
    "require_confirm_participation": "can_confirm_participation(invited member)",
    "require_waive_rule": "can_waive_rule",
    "require_withdraw_application": "can_withdraw_application",
}


@pytest.mark.parametrize("require", list(REQUIRES))
def test_each_require_refuses_exactly_whom_its_question_refuses(world, require):
    for person, user in world.people.items():
        allowed = RULES[ASKS[require]][person]
        if allowed:
            REQUIRES[require](world, user)
        else:
            with pytest.raises(PermissionDenied) as refused:
                REQUIRES[require](world, user)
            assert refused.value.message, (require, person)


def test_editing_is_refused_to_anyone_but_the_builders_whatever_the_state(world):
    for person, user in world.people.items():
        if person in BUILDERS:
            policy.require_edit_application(user, world.submitted)  # the state is the service's
        else:
            with pytest.raises(PermissionDenied):
                policy.require_edit_application(user, world.submitted)
