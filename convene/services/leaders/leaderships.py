"""Leaderships: the current ones, members invited in during the term, the term's end (a
daily job) with one notice before it, and the renewal call opened from one."""

from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import (
    CallCriterion,
    CallStatus,
    FocalPoint,
    Leadership,
    LeadershipCall,
    LeadershipPerson,
    LeadershipStatus,
    Member,
    Theme,
    User,
    utcnow,
)
from ...policy import Actor, actor_id, leads_theme
from ...urls import external_url
from .. import Checks, Conflict, NotFound, audit, mail
from ..security import signing_keys
from .groups import member_sector

__all__ = [
    "accept_invitation",
    "current_leaderships",
    "end_terms",
    "get_leadership",
    "invite_member",
    "leads_theme",
    "open_renewal_call",
]

# Leaders hear once, this long before their term ends, that it is ending.
NOTICE_BEFORE = timedelta(days=30)
INVITATION_SALT = "leadership-invitation"
INVITATION_DAYS = 30
# The page where a member's focal point accepts an invitation (comes with the pages).
JOIN_ENDPOINT = "leaders.join"


def current_leaderships() -> list[Leadership]:
    """Active leaderships by theme (then programme area) and name, with their theme and
    people (and members) loaded: three queries, whatever their number."""
    return list(
        db.session.scalars(
            select(Leadership)
            .outerjoin(Theme, Theme.id == Leadership.theme_id)
            .where(Leadership.status == LeadershipStatus.ACTIVE)
            .options(
                selectinload(Leadership.theme),
                selectinload(Leadership.people).selectinload(LeadershipPerson.member),
            )
            .order_by(
                Theme.position.nulls_last(),
                Theme.slug.nulls_last(),
                Leadership.programme_area,
                Leadership.name,
            )
        )
    )


def get_leadership(slug: str) -> Leadership:
    """The leadership called `slug`, current or ended; NotFound otherwise."""
    leadership = db.session.scalar(select(Leadership).where(Leadership.slug == slug))
    if leadership is None:
        raise NotFound(str(_l("No such leadership.")))
    return leadership


# Inviting members ------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key and accepts any: old links survive a rotation.
    return URLSafeTimedSerializer(list(reversed(signing_keys())), salt=INVITATION_SALT)


def invitation_token(leadership: Leadership, member: Member) -> str:
    return _serializer().dumps({"leadership": leadership.id, "member": member.id})


def invitation_url(token: str) -> str:
    """Where a focal point accepts: the leaders' page for it once the pages exist, until
    then the site, where they sign in."""
    if JOIN_ENDPOINT in current_app.view_functions:
        return external_url(JOIN_ENDPOINT, token=token)
    return external_url("home.index")


def _join(actor: Actor, leadership: Leadership, member: Member) -> LeadershipPerson:
    """`member` in the leadership from today, its focal points told."""
    person = LeadershipPerson(
        member=member,
        sector=member_sector(member.kind),
        country=member.country,
        joined_on=utcnow().date(),
        # Members are public; only individuals choose whether they are shown.
        shown_publicly=True,
    )
    leadership.people.append(person)
    summary = f"{member.slug} joined the leadership “{leadership.name}”"
    audit.record(actor, "leadership.member_joined", "leadership", leadership.id, summary)
    mail.send_to_member("leadership_joined", member, leadership=leadership)
    return person


def _refuse_if_in(leadership: Leadership, member: Member) -> None:
    if member.id in policy.leadership_member_ids(leadership):
        raise Conflict(str(_l("%(member)s is already in this leadership.", member=member.name)))


def invite_member(actor: User, leadership: Leadership, member: Member) -> LeadershipPerson | None:
    """An administrator (or a leader who speaks for `member`) adds it at once and gets its
    row; a leader's invitation is e-mailed to the member's focal points (None), and the
    member joins when one of them accepts it."""
    policy.require_invite_to_leadership(actor, leadership)
    _refuse_if_in(leadership, member)
    if policy.can_join_leadership_for(actor, member.id):
        return _join(actor, leadership, member)
    token = invitation_token(leadership, member)
    url = (
        external_url(JOIN_ENDPOINT, token=token)
        if JOIN_ENDPOINT in current_app.view_functions
        else external_url("home.index")
    )
    mail.send_to_member(
        "leadership_invitation", member, leadership=leadership, inviter=actor, url=url
    )
    summary = f"invited {member.slug} into the leadership “{leadership.name}”"
    audit.record(actor, "leadership.member_invited", "leadership", leadership.id, summary)
    return None


def accept_invitation(actor: User, token: str) -> LeadershipPerson:
    """A focal point of the invited member accepts: the member joins the leadership, if it
    is still active and the invitation less than INVITATION_DAYS old."""
    try:
        found = _serializer().loads(token, max_age=INVITATION_DAYS * 86400)
        leadership = db.session.get(Leadership, int(found["leadership"]))
        member = db.session.get(Member, int(found["member"]))
    except (BadData, KeyError, TypeError, ValueError):
        leadership = member = None
    if leadership is None or member is None:
        raise NotFound(str(_l("This invitation is not valid, or it has expired.")))
    policy.require_join_leadership_for(actor, member.id)
    if leadership.status is not LeadershipStatus.ACTIVE:
        raise Conflict(str(_l("This leadership's term has ended.")))
    _refuse_if_in(leadership, member)
    return _join(actor, leadership, member)


# The term's end --------------------------------------------------------------------


class TermsReport(NamedTuple):
    ended: int
    noticed: int


def leaders_of(leadership: Leadership) -> list[User]:
    """Who speaks for a leadership: its members' focal points, and its individuals who
    have an account."""
    people: dict[int, User] = {}
    for person in leadership.people:
        if person.member is not None:
            for focal_point in person.member.focal_points:
                people[focal_point.user_id] = focal_point.user
        elif person.user_id is not None:
            user = db.session.get(User, person.user_id)
            people[user.id] = user
    return [person for person in people.values() if person.active]


def end_terms(today: date | None = None) -> TermsReport:
    """Leaderships whose term ended before `today` end; those ending within NOTICE_BEFORE
    have their leaders told, once."""
    today = today or utcnow().date()
    leaderships = db.session.scalars(
        select(Leadership)
        .where(
            Leadership.status == LeadershipStatus.ACTIVE,
            Leadership.term_ends_on <= today + NOTICE_BEFORE,
        )
        .options(
            selectinload(Leadership.people)
            .selectinload(LeadershipPerson.member)
            .selectinload(Member.focal_points)
            .selectinload(FocalPoint.user)
        )
    ).all()
    ended = noticed = 0
    for leadership in leaderships:
        if leadership.term_ends_on < today:
            leadership.status = LeadershipStatus.ENDED
            leadership.ended_at = utcnow()
            summary = f"the term of the leadership “{leadership.name}” ended"
            audit.record(None, "leadership.ended", "leadership", leadership.id, summary)
            ended += 1
        elif leadership.ending_notice_at is None:
            for person in leaders_of(leadership):
                mail.send("leadership_ending", person, leadership=leadership)
            leadership.ending_notice_at = utcnow()
            noticed += 1
    return TermsReport(ended=ended, noticed=noticed)


# Renewal ---------------------------------------------------------------------------


def _checked_dates(opens_on, closes_on, term_starts_on, term_ends_on) -> None:
    checks = Checks()
    given = {
        "opens_on": opens_on,
        "closes_on": closes_on,
        "term_starts_on": term_starts_on,
        "term_ends_on": term_ends_on,
    }
    for name, value in given.items():
        if not isinstance(value, date):
            checks.add(name, _l("Give a date."))
    if checks.errors:
        checks.done()
    if closes_on <= opens_on:
        checks.add("closes_on", _l("The call must close after it opens."))
    if term_ends_on <= term_starts_on:
        checks.add("term_ends_on", _l("The term must end after it starts."))
    checks.done()


def open_renewal_call(
    actor: User,
    leadership: Leadership,
    opens_on: date,
    closes_on: date,
    term_starts_on: date,
    term_ends_on: date,
) -> LeadershipCall:
    """A draft call for the same theme or area and a new term, with the previous call's
    text and criteria if there was one; the leadership points to it."""
    policy.require_open_renewal_call(actor, leadership)
    if leadership.renewal_call is not None:
        raise Conflict(str(_l("A renewal call was already opened for this leadership.")))
    _checked_dates(opens_on, closes_on, term_starts_on, term_ends_on)
    previous = leadership.application.call if leadership.application else None
    call = LeadershipCall(
        theme_id=leadership.theme_id,
        programme_area=leadership.programme_area,
        status=CallStatus.DRAFT,
        title=previous.title if previous else leadership.name,
        opens_on=opens_on,
        closes_on=closes_on,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        created_by_id=actor_id(actor),
    )
    if previous is not None:
        for name in ("description", "who_may_apply", "individuals_welcome", "language"):
            setattr(call, name, getattr(previous, name))
        call.translations = dict(previous.translations or {})
        call.criteria = [
            CallCriterion(
                position=c.position,
                title=c.title,
                description=c.description,
                weight=c.weight,
                language=c.language,
                translations=dict(c.translations or {}),
            )
            for c in previous.criteria
        ]
    db.session.add(call)
    leadership.renewal_call = call
    db.session.flush()
    summary = f"opened a renewal call for the leadership “{leadership.name}”"
    audit.record(
        actor, "leadership.renewal_opened", "leadership", leadership.id, summary, {"call": call.id}
    )
    return call
