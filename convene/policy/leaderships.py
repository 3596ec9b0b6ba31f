"""The leadership programme: who reviews applications and decides on them, who speaks for a
leadership, who invites into it and who renews it.

Leadership reviewers are the reviewers (the role) and administrators; issue 19 adds the focal
points of members with a Steering-Committee seat, in `is_leadership_reviewer` alone. Nobody
reviews or decides on an application whose group includes a member they speak for, or
themselves (conflict of interest). Administrators decide. A leadership's leaders are the
focal points of its members while it is active.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import (
    ApplicationStatus,
    FocalPoint,
    Leadership,
    LeadershipApplication,
    LeadershipPerson,
    LeadershipStatus,
    ParticipantStatus,
    Role,
    Theme,
)
from .people import (
    ADMINISTRATORS_ONLY,
    Actor,
    actor_id,
    can_administer,
    is_signed_in,
    member_ids_of,
    refuse_unless,
    refuse_with,
)

# Reviews are written, and decisions taken, while an application is in these states.
APPLICATION_REVIEWABLE = {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW}


# Facts the rules are made of -------------------------------------------------------


def is_leadership_reviewer(user: Actor | None) -> bool:
    """Who reviews leadership applications: reviewers and administrators (the one place
    issue 19's Steering-Committee seats are added)."""
    return bool(is_signed_in(user) and (user.is_admin or user.has_role(Role.REVIEWER)))


def group_member_ids(application: LeadershipApplication) -> set[int]:
    """Members in the group or invited to it; a member that declined is not in it."""
    return {
        p.member_id
        for p in application.people
        if p.member_id is not None and p.status is not ParticipantStatus.DECLINED
    }


def in_group(member_ids: set[int], person_id: int | None, application) -> bool:
    """One of `member_ids` is in the application's group, or the person `person_id` is:
    the conflict of interest, for lists that read the person's members once."""
    if member_ids & group_member_ids(application):
        return True
    return person_id is not None and any(p.user_id == person_id for p in application.people)


def application_conflict(user: Actor | None, application: LeadershipApplication) -> bool:
    """A member the person speaks for is in the group, or the person is in it themselves."""
    return in_group(member_ids_of(user), actor_id(user), application)


def leadership_member_ids(leadership: Leadership) -> set[int]:
    return {p.member_id for p in leadership.people if p.member_id is not None}


def is_leader_of(user: Actor | None, leadership: Leadership) -> bool:
    """A focal point of one of the members of an active leadership."""
    return leadership.status is LeadershipStatus.ACTIVE and bool(
        member_ids_of(user) & leadership_member_ids(leadership)
    )


def leads_theme(user: Actor | None, theme: Theme) -> bool:
    """A focal point of a member of an active leadership of `theme`, in one query: what
    will replace ThemeLeader for reviewing the theme's proposals."""
    if not is_signed_in(user) or actor_id(user) is None:
        return False
    query = (
        select(Leadership.id)
        .join(LeadershipPerson, LeadershipPerson.leadership_id == Leadership.id)
        .join(FocalPoint, FocalPoint.member_id == LeadershipPerson.member_id)
        .where(
            Leadership.theme_id == theme.id,
            Leadership.status == LeadershipStatus.ACTIVE,
            FocalPoint.user_id == actor_id(user),
        )
        .limit(1)
    )
    return db.session.scalar(query) is not None


# Reviewing and deciding ------------------------------------------------------------


def _who_reviews_refusal(user: Actor | None, application: LeadershipApplication) -> str | None:
    """Why the person may never review this application, its state aside."""
    if not is_leadership_reviewer(user):
        return str(
            _l(
                "Only Steering-Committee reviewers and administrators review leadership "
                "applications."
            )
        )
    if application_conflict(user, application):
        return str(
            _l(
                "You cannot review this application: you or a member you speak for is in "
                "the group (conflict of interest)."
            )
        )
    return None


def review_application_refusal(
    user: Actor | None, application: LeadershipApplication
) -> str | None:
    """Why `user` may not review `application` now, or None if they may."""
    refusal = _who_reviews_refusal(user, application)
    if refusal is None and application.status not in APPLICATION_REVIEWABLE:
        return str(_l("Reviews are open only while an application is submitted or in review."))
    return refusal


def can_review_application(user: Actor | None, application: LeadershipApplication) -> bool:
    return review_application_refusal(user, application) is None


def require_review_application(user: Actor | None, application: LeadershipApplication) -> None:
    """PermissionDenied for who the person is; the application's state is the service's."""
    refuse_with(_who_reviews_refusal(user, application))


def decide_application_refusal(
    user: Actor | None, application: LeadershipApplication
) -> str | None:
    """Why `user` may not decide on `application`, or None if they may (its state aside)."""
    if not can_administer(user):
        return str(_l("Only administrators decide on leadership applications."))
    if application_conflict(user, application):
        return str(
            _l(
                "You cannot decide on this application: you or a member you speak for is "
                "in the group (conflict of interest)."
            )
        )
    return None


def can_decide_application(user: Actor | None, application: LeadershipApplication) -> bool:
    return decide_application_refusal(user, application) is None


def require_decide_application(user: Actor | None, application: LeadershipApplication) -> None:
    refuse_with(decide_application_refusal(user, application))


def can_see_application_queue(user: Actor | None) -> bool:
    """Leadership reviewers see the applications to review and compare them."""
    return is_leadership_reviewer(user)


def require_see_application_queue(user: Actor | None) -> None:
    refuse_unless(
        can_see_application_queue(user),
        _l("Only Steering-Committee reviewers and administrators see the applications."),
    )


# Leaderships -----------------------------------------------------------------------


def can_manage_leadership(user: Actor | None, leadership: Leadership) -> bool:
    """Administrators, and the leaders (their members' focal points) while it is active."""
    return can_administer(user) or is_leader_of(user, leadership)


def can_invite_to_leadership(user: Actor | None, leadership: Leadership) -> bool:
    """Its leaders and administrators invite further members during the term."""
    return leadership.status is LeadershipStatus.ACTIVE and can_manage_leadership(user, leadership)


def require_invite_to_leadership(user: Actor | None, leadership: Leadership) -> None:
    refuse_unless(
        can_invite_to_leadership(user, leadership),
        _l("Only this leadership's focal points and administrators invite members to it."),
    )


def can_join_leadership_for(user: Actor | None, member_id: int) -> bool:
    """A member's focal points accept an invitation into a leadership for it."""
    return can_administer(user) or member_id in member_ids_of(user)


def require_join_leadership_for(user: Actor | None, member_id: int) -> None:
    refuse_unless(can_join_leadership_for(user, member_id), _l("You do not speak for this member."))


def can_open_renewal_call(user: Actor | None, leadership: Leadership) -> bool:
    """Calls are the administrators' (for the Steering Committee), renewals too."""
    return can_administer(user)


def require_open_renewal_call(user: Actor | None, leadership: Leadership) -> None:
    refuse_unless(can_open_renewal_call(user, leadership), ADMINISTRATORS_ONLY)
