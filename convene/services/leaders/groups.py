"""Who is in an application's group: members (asked to join, confirmed by their focal
points as co-hosts are) and individuals; the multi-stakeholder rule, its waiver, and the
group's balance by sector, region and Steering-Committee seat."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import policy
from ...extensions import db
from ...models import (
    ApplicationPerson,
    LeadershipApplication,
    Member,
    MemberKind,
    ParticipantStatus,
    Sector,
    User,
    utcnow,
)
from ...models.leaders import GroupPerson
from ...policy import Actor, actor_id
from .. import Checks, Conflict, InvalidInput, NotFound
from ..regions import region_of
from ..rows import found
from ..validation import check_country, clean_email, is_one_line
from .notices import invite_member, notify_group
from .states import OPEN, IllegalTransition, lock, log, require_editable

MAX_REASON = 5000


# The multi-stakeholder rule ---------------------------------------------------------


def is_public_side_kind(kind: MemberKind) -> bool:
    """A state kind: the executive today; issue 19 adds legislatures, justice and
    independent institutions here, and every rule that asks follows."""
    return kind.is_government


def member_sector(kind: MemberKind) -> Sector:
    """The sector a member of `kind` counts in: government for the state kinds, else the
    sector of the same name, else other."""
    if is_public_side_kind(kind):
        return Sector.GOVERNMENT
    return Sector(kind.value) if kind.value in Sector._value2member_map_ else Sector.OTHER


def takes_part(person: GroupPerson) -> bool:
    """A member once confirmed (a leadership's people all are); an individual as added."""
    # By `member`, not `member_id`: a person not yet flushed has only the former.
    status = getattr(person, "status", None)
    return person.member is None or status in (None, ParticipantStatus.CONFIRMED)


def is_public_side(person: GroupPerson) -> bool:
    if person.member is not None:
        return is_public_side_kind(person.member.kind)
    return person.sector is Sector.GOVERNMENT


def is_society_side(person: GroupPerson) -> bool:
    if person.member is not None:
        return person.member.kind is MemberKind.CIVIL_SOCIETY
    return person.sector is Sector.CIVIL_SOCIETY


def is_multi_stakeholder(people: Iterable[GroupPerson]) -> bool:
    """At least one public-side and one society-side person take part (DESIGN.md's sides):
    the one statement of the rule, for applications and leaderships alike."""
    present = [person for person in people if takes_part(person)]
    return any(map(is_public_side, present)) and any(map(is_society_side, present))


def rule_met(application: LeadershipApplication) -> bool:
    """The group is multi-stakeholder, or an administrator waived the rule for it."""
    return bool(application.waiver_reason) or is_multi_stakeholder(application.people)


def waive_multi_stakeholder(actor: Actor, application: LeadershipApplication, reason: str) -> None:
    """An administrator lifts the rule for this application, saying why (kept with who and when)."""
    policy.require_waive_rule(actor, application)
    if application.status not in OPEN:
        raise IllegalTransition(str(_l("This application is closed.")))
    reason = (reason or "").strip()
    if not reason:
        message = str(_l("Say why the rule is waived."))
        raise InvalidInput(message, {"reason": [message]})
    application.waiver_reason = reason[:MAX_REASON]
    application.waived_by_id, application.waived_at = actor_id(actor), utcnow()
    summary = f"waived the multi-stakeholder rule for “{application.name}”"
    log(actor, application, "waived", summary, {"reason": reason[:200]})


# The balance ----------------------------------------------------------------------


@dataclass
class Balance:
    """Who takes part, counted by sector, region and seat on the Steering Committee."""

    by_sector: dict[Sector, int] = field(default_factory=dict)
    by_region: dict[str | None, int] = field(default_factory=dict)  # None: region unknown
    on_steering_committee: int = 0
    off_steering_committee: int = 0
    invited: int = 0  # members asked who have not answered yet
    multi_stakeholder: bool = False
    waived: bool = False


def balance(application: LeadershipApplication) -> Balance:
    """The group as it stands: only people who take part are counted (invited aside)."""
    present = [person for person in application.people if takes_part(person)]
    seats = Counter(person.on_steering_committee for person in present)
    return Balance(
        by_sector=dict(Counter(person.sector for person in present)),
        by_region=dict(Counter(region_of(person.country) for person in present)),
        on_steering_committee=seats[True],
        off_steering_committee=seats[False],
        invited=sum(p.status is ParticipantStatus.INVITED for p in application.people),
        multi_stakeholder=is_multi_stakeholder(present),
        waived=bool(application.waiver_reason),
    )


# Changing the group ---------------------------------------------------------------


def add_member(
    actor: User, application: LeadershipApplication, member_id: int, on_steering_committee=False
) -> ApplicationPerson:
    """Ask a member to join: its focal points are e-mailed to confirm, unless `actor` is one
    of them (then it takes part at once). A member already in the group is refused."""
    # Two requests adding the same member take turns: the second sees the first's row.
    lock(application)
    require_editable(actor, application)
    member = db.session.get(Member, member_id) if isinstance(member_id, int) else None
    if member is None:
        raise InvalidInput(str(_l("Unknown member.")), {"member_id": [str(_l("Unknown member."))]})
    if any(person.member_id == member.id for person in application.people):
        message = str(_l("This member is already in the group."))
        raise InvalidInput(message, {"member_id": [message]})
    person = ApplicationPerson(
        member=member,
        sector=member_sector(member.kind),
        country=member.country,
        on_steering_committee=bool(on_steering_committee),
        shown_publicly=True,  # members are public already
        status=ParticipantStatus.INVITED,
    )
    if policy.can_confirm_participation(actor, member.id):
        person.status = ParticipantStatus.CONFIRMED
        person.responded_by_id, person.responded_at = actor.id, utcnow()
    application.people.append(person)
    db.session.flush()
    if person.status is ParticipantStatus.INVITED:
        invite_member(application, member, actor)
    summary = f"added {member.slug} ({person.status.value}) to “{application.name}”"
    log(actor, application, "member_added", summary, {"member": member})
    return person


@dataclass
class IndividualInput:
    """A person taking part without a member; the e-mail is never shown to anyone."""

    name: str = ""
    email: str = ""
    affiliation: str = ""
    sector: str | None = None
    country: str | None = None
    on_steering_committee: bool = False
    shown_publicly: bool = False  # their consent to be named on public pages


def clean_individual(data: IndividualInput, application: LeadershipApplication) -> dict:
    """The individual's values; InvalidInput naming every field wrong."""
    checks = Checks()
    name = (data.name or "").strip()
    if not name or len(name) > 200 or not is_one_line(name):
        checks.add("name", _l("Give their name, on one line (at most 200 characters)."))
    affiliation = (data.affiliation or "").strip()
    if len(affiliation) > 200:
        checks.add("affiliation", _l("Keep this under %(n)d characters.", n=200))
    checks.run("email", lambda: clean_email(data.email or "", "email"))
    email = checks.values.get("email")
    if email and any((p.email or "").lower() == email.lower() for p in application.people):
        checks.add("email", _l("This person is already in the group."))
    if data.sector not in Sector._value2member_map_:
        checks.add("sector", _l("Choose one of the options."))
    checks.run("country", lambda: check_country(data.country or ""))
    values = checks.done()
    return {
        "name": name,
        "email": email,
        "affiliation": affiliation or None,
        "sector": Sector(data.sector),
        "country": values["country"],
        "on_steering_committee": bool(data.on_steering_committee),
        "shown_publicly": bool(data.shown_publicly),
    }


def add_individual(
    actor: User, application: LeadershipApplication, data: IndividualInput
) -> ApplicationPerson:
    """Add a person without a member, if the call welcomes individuals; linked to the
    account with that confirmed address, if any, so they see the application and its news."""
    require_editable(actor, application)
    if not application.call.individuals_welcome:
        raise Conflict(str(_l("This call is for members only: individuals cannot join.")))
    values = clean_individual(data, application)
    account = db.session.scalar(
        select(User).where(func.lower(User.email) == values["email"].lower())
    )
    linked = account.id if account is not None and account.email_confirmed else None
    person = ApplicationPerson(user_id=linked, status=ParticipantStatus.CONFIRMED, **values)
    application.people.append(person)
    db.session.flush()
    # The log keeps the row's number, not the person's name or address (it is never erased).
    summary = f"added individual #{person.id} to “{application.name}”"
    log(actor, application, "individual_added", summary, {"sector": person.sector})
    return person


def remove_person(actor: User, application: LeadershipApplication, person_id: int) -> None:
    """Take a member or an individual out of the group."""
    require_editable(actor, application)
    people = (p for p in application.people if p.id == person_id)
    person = found(next(people, None), _l("No such person in this group."))
    who = person.member.slug if person.member_id else f"individual #{person.id}"
    summary = f"removed {who} from “{application.name}”"
    log(actor, application, "person_removed", summary, {"status": person.status})
    application.people.remove(person)


def respond(
    actor: User, application: LeadershipApplication, member_id: int, accept: bool
) -> ApplicationPerson:
    """A member's focal point confirms or declines its place in the group, while the
    application is open; the group's people hear of it."""
    policy.require_confirm_participation(actor, member_id)
    lock(application)
    person = next((p for p in application.people if p.member_id == member_id), None)
    if person is None:
        raise NotFound(str(_l("This member was not asked to join.")))
    if application.status not in OPEN:
        raise IllegalTransition(str(_l("This application is closed.")))
    person.status = ParticipantStatus.CONFIRMED if accept else ParticipantStatus.DECLINED
    person.responded_by_id, person.responded_at = actor.id, utcnow()
    summary = f"{person.member.slug} {person.status.value} joining “{application.name}”"
    log(actor, application, "member_answered", summary, {"answer": person.status})
    notify_group(
        application,
        "leadership_member_response",
        except_member_id=member_id,
        member=person.member,
        accepted=accept,
    )
    return person
