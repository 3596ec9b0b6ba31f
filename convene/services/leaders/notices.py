"""Who hears of an application: the group's people with an account (its creator, the
focal points of its confirmed members, individuals linked to an account), and the focal
points of a member asked to join."""

from urllib.parse import urljoin

from flask import current_app

from ...extensions import db
from ...models import LeadershipApplication, Member, ParticipantStatus, User
from .. import mail


def application_url(application: LeadershipApplication) -> str:
    """The application's page, for e-mails.

    Built by hand on BASE_URL because the page comes with the pages of issue 18 (not yet
    routed): when it is, this becomes external_url("leaders.application", …)."""
    base = current_app.config["BASE_URL"].rstrip("/") + "/"
    return urljoin(base, f"leaders/applications/{application.id}")


def group_people(
    application: LeadershipApplication, except_member_id: int | None = None
) -> list[User]:
    """The creator, confirmed members' focal points and linked individuals, each once."""
    people: dict[int, User] = {}
    if application.created_by is not None:
        people[application.created_by.id] = application.created_by
    for person in application.people:
        if person.member_id is None:
            # An individual has no relationship to their account (the models keep only
            # the id): the session's identity map answers without a query once loaded.
            user = db.session.get(User, person.user_id) if person.user_id else None
            if user is not None:
                people[user.id] = user
        elif person.status is ParticipantStatus.CONFIRMED and person.member_id != except_member_id:
            for focal_point in person.member.focal_points:
                people[focal_point.user_id] = focal_point.user
    return [user for user in people.values() if user.active]


def notify_group(
    application: LeadershipApplication,
    template: str,
    except_member_id: int | None = None,
    **context,
) -> None:
    for person in group_people(application, except_member_id):
        mail.send(
            template, person, application=application, url=application_url(application), **context
        )


def invite_member(application: LeadershipApplication, member: Member, inviter: User) -> None:
    """E-mail `member`'s focal points that the group asks it to join."""
    url = application_url(application)
    mail.send_to_member(
        "leadership_member_invitation", member, application=application, inviter=inviter, url=url
    )
