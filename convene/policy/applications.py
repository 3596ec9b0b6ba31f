"""The leadership programme's calls and applications: who manages a call, who sees it,
who builds, answers for, waives the rule of, withdraws and sees an application.

Administrators manage calls; an open (or later) call is public. Any signed-in person may
start an application for a group; its creator and the focal points of its confirmed
members edit it while it is a draft or sent back for changes; a member's focal points
answer for that member. Reviews and decisions are the reviewers' (their own rules).
"""

from flask_babel import lazy_gettext as _l

from ..models import (
    ApplicationStatus,
    CallStatus,
    LeadershipApplication,
    LeadershipCall,
    ParticipantStatus,
)
from .people import (
    ADMINISTRATORS_ONLY,
    Actor,
    actor_id,
    can_administer,
    is_signed_in,
    member_ids_of,
    refuse_unless,
)
from .proposals import is_reviewer

# The group changes its application only in these states.
EDITABLE_APPLICATION = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED})
# An application is open (not yet appointed, declined or withdrawn) in these states.
OPEN_APPLICATION = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.CHANGES_REQUESTED,
    }
)


# Facts the rules are made of -------------------------------------------------------


def is_creator(user: Actor | None, application: LeadershipApplication) -> bool:
    return actor_id(user) is not None and application.created_by_id == actor_id(user)


def speaks_for_group(
    user: Actor | None, application: LeadershipApplication, confirmed_only: bool = True
) -> bool:
    """A focal point of a member in the group (a confirmed one, unless `confirmed_only` is
    False: then invited and declined members count too)."""
    members = member_ids_of(user)
    return any(
        person.member_id in members
        and (not confirmed_only or person.status is ParticipantStatus.CONFIRMED)
        for person in application.people
        if person.member_id is not None
    )


def is_named_individual(user: Actor | None, application: LeadershipApplication) -> bool:
    """An individual of the group whose account the application is linked to."""
    uid = actor_id(user)
    return uid is not None and any(person.user_id == uid for person in application.people)


# Calls -----------------------------------------------------------------------------


def can_manage_calls(user: Actor | None) -> bool:
    """Administrators write, open and close calls (for the Steering Committee)."""
    return can_administer(user)


def require_manage_calls(user: Actor | None) -> None:
    refuse_unless(can_manage_calls(user), ADMINISTRATORS_ONLY)


def can_see_call(user: Actor | None, call: LeadershipCall) -> bool:
    """Everyone once it is open (closed and decided calls stay public); a draft only
    administrators."""
    return call.status is not CallStatus.DRAFT or can_manage_calls(user)


# Applications ----------------------------------------------------------------------


def can_apply(user: Actor | None) -> bool:
    """Any signed-in person may start an application for a group."""
    return is_signed_in(user) and actor_id(user) is not None


def require_apply(user: Actor | None) -> None:
    refuse_unless(can_apply(user), _l("Sign in to apply."))


def builds_application(user: Actor | None, application: LeadershipApplication) -> bool:
    """Its creator and the focal points of its confirmed members, whatever its state."""
    return is_creator(user, application) or speaks_for_group(user, application)


def can_edit_application(user: Actor | None, application: LeadershipApplication) -> bool:
    """Its creator and the focal points of its confirmed members, while it is a draft or
    sent back for changes."""
    return application.status in EDITABLE_APPLICATION and builds_application(user, application)


def require_edit_application(user: Actor | None, application: LeadershipApplication) -> None:
    """Refuses anyone but the group's builders; the services refuse a state that is not
    editable themselves (IllegalTransition, a 409, not a 403)."""
    refuse_unless(
        builds_application(user, application),
        _l("Only the group's creator and its members' focal points can do this."),
    )


def can_confirm_participation(user: Actor | None, member_id: int) -> bool:
    """A member's focal points confirm or decline its place in a group."""
    return member_id in member_ids_of(user)


def require_confirm_participation(user: Actor | None, member_id: int) -> None:
    refuse_unless(
        can_confirm_participation(user, member_id), _l("You do not speak for this member.")
    )


def can_waive_rule(user: Actor | None, application: LeadershipApplication) -> bool:
    """Administrators waive the multi-stakeholder rule for one application."""
    return can_administer(user)


def require_waive_rule(user: Actor | None, application: LeadershipApplication) -> None:
    refuse_unless(can_waive_rule(user, application), ADMINISTRATORS_ONLY)


def can_withdraw_application(user: Actor | None, application: LeadershipApplication) -> bool:
    """Its creator, the focal points of its confirmed members, and administrators."""
    return builds_application(user, application) or can_administer(user)


def require_withdraw_application(user: Actor | None, application: LeadershipApplication) -> None:
    refuse_unless(
        can_withdraw_application(user, application),
        _l("Only the group's creator and its members' focal points can do this."),
    )


def can_see_application(user: Actor | None, application: LeadershipApplication) -> bool:
    """Administrators; its creator, the focal points of every member asked to join and the
    individuals linked to an account; reviewers once it is submitted."""
    if not is_signed_in(user):
        return False
    if can_administer(user) or is_creator(user, application):
        return True
    if speaks_for_group(user, application, confirmed_only=False):
        return True
    if is_named_individual(user, application):
        return True
    return is_reviewer(user) and application.status is not ApplicationStatus.DRAFT
