"""The decision on a leadership application: appoint, decline or request changes.

Appointing makes the group the leadership of the call's theme (or programme area) for the
call's term; once every application that reached the reviewers of a closed call is
appointed or declined, the call is decided.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import (
    ApplicationPerson,
    ApplicationStatus,
    CallStatus,
    Leadership,
    LeadershipApplication,
    LeadershipCall,
    LeadershipPerson,
    ParticipantStatus,
    User,
    utcnow,
)
from ...models.base import label
from .. import InvalidInput, audit, mail
from ..validation import slugify
from .states import lock, transition

MAX_COMMENT = 5000
DECISIONS = {
    "appoint": ApplicationStatus.APPOINTED,
    "decline": ApplicationStatus.DECLINED,
    "request_changes": ApplicationStatus.CHANGES_REQUESTED,
}
FINAL = {ApplicationStatus.APPOINTED, ApplicationStatus.DECLINED}
# Applications that never reached the reviewers, which a call's decision does not wait for.
NOT_SUBMITTED = {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN}
# A person copied into a leadership keeps these of what the group said about them.
PERSON_FIELDS = (
    "member_id",
    "user_id",
    "name",
    "email",
    "affiliation",
    "sector",
    "country",
    "on_steering_committee",
    "shown_publicly",
)


def takes_part(person: ApplicationPerson) -> bool:
    """A member once a focal point confirmed; an individual from the moment they are added."""
    if person.is_individual:
        return person.status is not ParticipantStatus.DECLINED
    return person.status is ParticipantStatus.CONFIRMED


def group_people(application: LeadershipApplication) -> list[User]:
    """Who hears of the group's application: the person who started it, the focal points
    of its members, and its individuals who have an account."""
    people: dict[int, User] = {}
    if application.created_by is not None:
        people[application.created_by.id] = application.created_by
    for person in application.people:
        if person.status is ParticipantStatus.DECLINED:
            continue
        if person.member is not None:
            for focal_point in person.member.focal_points:
                people[focal_point.user_id] = focal_point.user
        elif person.user_id is not None:
            user = db.session.get(User, person.user_id)
            people[user.id] = user
    return [person for person in people.values() if person.active]


def _checked(actor: User, application: LeadershipApplication, decision: str, comment: str):
    policy.require_decide_application(actor, application)
    new = DECISIONS.get(decision)
    comment = (comment or "").strip()
    problems = {}
    if new is None:
        problems["decision"] = [str(_l("Choose appoint, decline or request changes."))]
    if not comment:
        problems["comment"] = [str(_l("Explain the decision to the group."))]
    elif len(comment) > MAX_COMMENT:
        problems["comment"] = [str(_l("Keep this under %(n)d characters.", n=MAX_COMMENT))]
    if problems:
        raise InvalidInput(str(_l("Please correct the decision.")), problems)
    return new, comment


def decide(
    actor: User, application: LeadershipApplication, decision: str, comment: str
) -> Leadership | None:
    """appoint | decline | request_changes an application submitted or in review, telling
    the group; appointing creates and answers its leadership."""
    lock(application)
    new, comment = _checked(actor, application, decision, comment)
    reviewable = policy.APPLICATION_REVIEWABLE
    if application.status is ApplicationStatus.SUBMITTED:
        transition(application, actor, reviewable, ApplicationStatus.IN_REVIEW)
    transition(application, actor, {ApplicationStatus.IN_REVIEW}, new, comment)
    application.decision_comment = comment
    leadership = None
    if new in FINAL:
        application.decided_at = utcnow()
    if new is ApplicationStatus.APPOINTED:
        leadership = appoint(application)
    summary = f"decided on the leadership application “{application.name}”: {decision}"
    details = {"decision": new, "leadership": leadership}
    audit.record(
        actor,
        "leadership_application.decided",
        "leadership_application",
        application.id,
        summary,
        details,
    )
    for person in group_people(application):
        mail.send(
            "leadership_decision",
            person,
            application=application,
            decision=new,
            decision_label=label(new),
            comment=comment,
            leadership=leadership,
        )
    if new in FINAL:
        mark_decided_if_done(application.call, actor)
    return leadership


def appoint(application: LeadershipApplication) -> Leadership:
    """The group as the leadership of the call's theme or area, for the call's term, with
    every person who takes part in it."""
    call = application.call
    joined = max(call.term_starts_on, utcnow().date())
    leadership = Leadership(
        slug=unique_slug(application.name),
        name=application.name,
        theme_id=call.theme_id,
        programme_area=call.programme_area,
        application=application,
        term_starts_on=call.term_starts_on,
        term_ends_on=call.term_ends_on,
    )
    leadership.people = [
        LeadershipPerson(joined_on=joined, **{name: getattr(p, name) for name in PERSON_FIELDS})
        for p in application.people
        if takes_part(p)
    ]
    db.session.add(leadership)
    return leadership


def unique_slug(name: str) -> str:
    """`name` as a slug no leadership has yet: its second bearer gets -2, and so on."""
    base = slugify(name)
    taken = set(db.session.scalars(select(Leadership.slug).where(Leadership.slug.startswith(base))))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def mark_decided_if_done(call: LeadershipCall, actor: policy.Actor | None = None) -> bool:
    """A closed call whose every submitted application is appointed or declined becomes
    decided; an open call may still receive applications, so it waits."""
    if call.status is not CallStatus.CLOSED:
        return False
    statuses = set(
        db.session.scalars(
            select(LeadershipApplication.status).where(LeadershipApplication.call_id == call.id)
        )
    )
    if statuses - NOT_SUBMITTED - FINAL:
        return False
    call.status = CallStatus.DECIDED
    call.decided_at = utcnow()
    summary = f"the call “{call.title}” is decided"
    audit.record(actor, "leadership_call.decided", "leadership_call", call.id, summary)
    return True
