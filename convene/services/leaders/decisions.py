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
    ApplicationStatus,
    Leadership,
    LeadershipApplication,
    LeadershipPerson,
    User,
    utcnow,
)
from .. import InvalidInput, audit
from ..validation import slugify
from .calls import mark_decided_if_done
from .groups import takes_part
from .states import lock, transition

MAX_COMMENT = 5000
DECISIONS = {
    "appoint": ApplicationStatus.APPOINTED,
    "decline": ApplicationStatus.DECLINED,
    "request_changes": ApplicationStatus.CHANGES_REQUESTED,
}
FINAL = {ApplicationStatus.APPOINTED, ApplicationStatus.DECLINED}
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
    # The group hears of the decision, with its comment, from `transition`.
    if new in FINAL:
        mark_decided_if_done(application.call, actor)
    return leadership


def appoint(application: LeadershipApplication) -> Leadership:
    """The group as the leadership of the call's theme or area, for the call's term, with
    every person who takes part in it."""
    call = application.call
    joined = max(call.term_starts_on, utcnow().date())
    # Who takes part is read before the leadership exists: reading it may load rows, and
    # the session must not flush a leadership it does not hold yet.
    people = [
        LeadershipPerson(joined_on=joined, **{name: getattr(p, name) for name in PERSON_FIELDS})
        for p in application.people
        if takes_part(p)
    ]
    leadership = Leadership(
        slug=unique_slug(application.name),
        name=application.name,
        theme_id=call.theme_id,
        programme_area=call.programme_area,
        term_starts_on=call.term_starts_on,
        term_ends_on=call.term_ends_on,
        people=people,
    )
    db.session.add(leadership)
    leadership.application = application
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
