"""Event proposals: drafting, co-hosting, submission and withdrawal (who may: policy).

The state machine is DESIGN.md's: draft → submitted → in_review → (changes_requested →
submitted …) → accepted | declined, and withdrawn from any open state. Each transition
is one function here, recorded in `proposal_transitions` and e-mailed to the hosts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    EventFormat,
    FocalPoint,
    HostStatus,
    Member,
    MemberKind,
    Objective,
    Proposal,
    ProposalHost,
    ProposalStatus,
    ProposalTransition,
    Role,
    Theme,
    ThemeLeader,
    User,
    utcnow,
)
from ..policy import Actor, actor_id
from ..urls import external_url
from . import Checks, Conflict, InvalidInput, NotFound, audit, mail
from .times import to_utc
from .validation import check_country, check_languages, check_timezone

# A state's name in sentences, pages and e-mails, in the reader's language.
STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.IN_REVIEW: _l("In review"),
    ProposalStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.DECLINED: _l("Declined"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
}

MAX_TITLE, MAX_SUMMARY, MAX_AUDIENCE, MAX_COMMENT = 200, 5000, 2000, 5000
MAX_SIZE = 100_000


class IllegalTransition(Conflict):
    code = "illegal_transition"


@dataclass
class ProposalInput:
    """What a focal point types; any field may be missing while the proposal is a draft."""

    title: str = ""
    summary: str = ""
    objectives: str | None = None
    theme_ids: list[int] = field(default_factory=list)
    format: str | None = None
    starts_at: datetime | None = None  # naive = wall time in `timezone`
    ends_at: datetime | None = None
    timezone: str | None = None
    city: str | None = None
    country: str | None = None
    expected_size: int | None = None
    audience: str = ""
    languages: list[str] = field(default_factory=list)
    cohost_ids: list[int] = field(default_factory=list)


# Seeing proposals -------------------------------------------------------------------


def get_proposal(actor: Actor | None, proposal_id: int) -> Proposal:
    """The proposal, if `actor` may see it; NotFound otherwise, so ids reveal nothing."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not policy.can_view_proposal(actor, proposal):
        raise NotFound(str(_l("No such proposal.")))
    return proposal


def proposals_of_my_members(user: User) -> list[Proposal]:
    """Proposals that one of the person's members proposes or is invited to host."""
    members = policy.member_ids_of(user)
    if not members:
        return []
    return db.session.scalars(
        select(Proposal)
        .where(
            or_(
                Proposal.member_id.in_(members),
                Proposal.hosts.any(ProposalHost.member_id.in_(members)),
            )
        )
        .options(
            selectinload(Proposal.hosts).selectinload(ProposalHost.member),
            selectinload(Proposal.themes),
            selectinload(Proposal.member),
        )
        .order_by(Proposal.updated_at.desc())
    ).all()


# Checking input ---------------------------------------------------------------------


def _clean(data: ProposalInput, proposer_id: int) -> tuple[dict, dict[str, list[str]]]:
    """Well-formed values and per-field errors; completeness is checked at submission."""
    checks = Checks()
    values, errors, check = checks.values, checks.errors, checks.run

    def too_long(name, value, limit):
        if len(value) > limit:
            raise InvalidInput("", {name: [str(_l("Keep this under %(n)d characters.", n=limit))]})
        return value

    title = (data.title or "").strip()
    check("title", lambda: too_long("title", title, MAX_TITLE))
    if not title:
        errors.setdefault("title", []).append(str(_l("Give the proposal a title.")))
    check("summary", lambda: too_long("summary", (data.summary or "").strip(), MAX_SUMMARY))
    check("audience", lambda: too_long("audience", (data.audience or "").strip(), MAX_AUDIENCE))
    check("city", lambda: too_long("city", (data.city or "").strip(), 120) or None)
    check("objectives", lambda: _enum(Objective, data.objectives, "objectives"))
    check("format", lambda: _enum(EventFormat, data.format, "format"))
    check("timezone", lambda: check_timezone(data.timezone) if data.timezone else None)
    check("country", lambda: check_country(data.country) if data.country else None)
    check("languages", lambda: check_languages(data.languages))
    check("expected_size", lambda: _size(data.expected_size))
    check("themes", lambda: _themes(data.theme_ids))
    check("cohosts", lambda: _cohosts(data.cohost_ids, proposer_id))
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None and not values.get("timezone"):
            errors.setdefault(name, []).append(str(_l("Choose the timezone of these times.")))
        elif value is not None:
            check(
                name,
                lambda value=value, name=name: to_utc(value, values.get("timezone") or "UTC", name),
            )
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        errors.setdefault("ends_at", []).append(str(_l("The end must come after the start.")))
    return values, errors


def _enum(enum_class, value, name):
    if value in (None, ""):
        return None
    try:
        return enum_class(value)
    except ValueError:
        raise InvalidInput("", {name: [str(_l("Choose one of the options."))]}) from None


def _size(value):
    if value is None:
        return None
    if not 1 <= value <= MAX_SIZE:
        raise InvalidInput(
            "", {"expected_size": [str(_l("Give a number between 1 and %(n)d.", n=MAX_SIZE))]}
        )
    return value


def _themes(theme_ids):
    ids = list(dict.fromkeys(theme_ids or []))
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(ids))).all() if ids else []
    if len(themes) != len(ids):
        raise InvalidInput("", {"themes": [str(_l("Unknown theme."))]})
    return themes


def _cohosts(member_ids, proposer_id):
    ids = [i for i in dict.fromkeys(member_ids or []) if i != proposer_id]
    members = db.session.scalars(select(Member).where(Member.id.in_(ids))).all() if ids else []
    if len(members) != len(ids):
        raise InvalidInput("", {"cohosts": [str(_l("Unknown member among the co-hosts."))]})
    return members


# What a proposer writes; "themes" too, set apart below.
CONTENT = (
    "title",
    "summary",
    "audience",
    "city",
    "objectives",
    "format",
    "timezone",
    "country",
    "languages",
    "expected_size",
    "starts_at",
    "ends_at",
)


def _apply(proposal: Proposal, values: dict) -> None:
    for name in CONTENT:
        if name in values:
            setattr(proposal, name, values[name])
    proposal.themes = values.get("themes", [])


# Drafting ---------------------------------------------------------------------------


def create_proposal(actor: User, member_id: int, data: ProposalInput) -> Proposal:
    """A new draft for `member_id`, whose focal point `actor` must be."""
    policy.require_propose_for(actor, member_id)
    values, errors = _clean(data, member_id)
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    proposal = Proposal(
        member_id=member_id,
        created_by_id=actor.id,
        title=values["title"],
        status=ProposalStatus.DRAFT,
    )
    _apply(proposal, values)
    proposal.hosts = [
        ProposalHost(
            member_id=member_id,
            is_lead=True,
            status=HostStatus.ACCEPTED,
            responded_by_id=actor.id,
            responded_at=utcnow(),
        )
    ]
    db.session.add(proposal)
    _record(proposal, actor, None, ProposalStatus.DRAFT, "")
    db.session.flush()
    _invite(proposal, values.get("cohosts", []), actor)
    return proposal


def update_proposal(actor: User, proposal: Proposal, data: ProposalInput) -> Proposal:
    """Change a draft, or a proposal sent back for changes; nothing else is editable."""
    policy.require_edit_proposal(actor, proposal)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED):
        raise IllegalTransition(
            str(_l("Only a draft or a proposal sent back for changes can be edited."))
        )
    values, errors = _clean(data, proposal.member_id)
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    # Reviews of an earlier round judged the text as it was: the log keeps what changed.
    before = audit.snapshot(proposal, [*CONTENT, "themes"])
    _apply(proposal, values)
    if changed := audit.changes(before, proposal):
        summary = f"changed “{proposal.title}”"
        audit.record(actor, "proposal.changed", "proposal", proposal.id, summary, changed)
    wanted = {member.id: member for member in values.get("cohosts", [])}
    for host in list(proposal.hosts):
        if not host.is_lead and host.member_id not in wanted:
            # The row goes, and with it the host's answer: the log keeps it.
            summary = f"removed {host.member.slug} ({host.status.value}) as a co-host of"
            _record_host(actor, proposal, host, "proposal.cohost_removed", summary)
            proposal.hosts.remove(host)
    known = {host.member_id for host in proposal.hosts}
    _invite(proposal, [m for i, m in wanted.items() if i not in known], actor)
    return proposal


def _invite(proposal: Proposal, members: list[Member], actor: User) -> None:
    for member in members:
        proposal.hosts.append(ProposalHost(member=member, status=HostStatus.INVITED))
        for focal_point in member.focal_points:
            person = focal_point.user
            mail.send(
                "cohost_invitation",
                person,
                member=member,
                proposal=proposal,
                inviter=actor,
                url=external_url("proposals.detail", proposal_id=proposal.id),
            )


def respond_to_invitation(actor: User, proposal: Proposal, member_id: int, accept: bool) -> None:
    """A co-host's focal point accepts or declines hosting, while the proposal is open."""
    policy.require_answer_invitation(actor, member_id)
    host = next((h for h in proposal.hosts if h.member_id == member_id and not h.is_lead), None)
    if host is None:
        raise NotFound(str(_l("This member was not invited to co-host.")))
    if not proposal.is_open:
        raise IllegalTransition(str(_l("This proposal is closed.")))
    host.status = HostStatus.ACCEPTED if accept else HostStatus.DECLINED
    host.responded_by_id, host.responded_at = actor.id, utcnow()
    # A host may answer again while the proposal is open; the row keeps only the last answer.
    summary = f"{host.member.slug} {host.status.value} co-hosting"
    _record_host(actor, proposal, host, "proposal.cohost_answered", summary)
    _notify_hosts(
        proposal,
        "cohost_response",
        except_member_id=member_id,
        member=host.member,
        accepted=accept,
    )


def _record_host(
    actor: Actor, proposal: Proposal, host: ProposalHost, action: str, summary: str
) -> None:
    """Log `host`'s answer as it stands, under `action`."""
    details = {"member": host.member, "answer": host.status}
    summary = f"{summary} “{proposal.title}”"
    audit.record(actor, action, "proposal", proposal.id, summary, details)


def cocreation_met(proposal: Proposal) -> bool:
    """Confirmed hosts include a government (national or local) and a civil-society organisation."""
    kinds = {h.member.kind for h in proposal.hosts if h.status is HostStatus.ACCEPTED}
    has_government = any(kind.is_government for kind in kinds)
    return has_government and MemberKind.CIVIL_SOCIETY in kinds


def waive_cocreation(actor: Actor, proposal: Proposal, reason: str) -> None:
    policy.require_waive_cocreation(actor, proposal)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            str(_l("Say why the rule is waived.")),
            {"reason": [str(_l("Say why the rule is waived."))]},
        )
    proposal.cocreation_waiver_reason = reason[:MAX_COMMENT]
    proposal.cocreation_waived_by_id = actor_id(actor)
    proposal.cocreation_waived_at = utcnow()
    summary = f"waived the co-creation rule for “{proposal.title}”"
    audit.record(
        actor,
        "proposal.cocreation_waived",
        "proposal",
        proposal.id,
        summary,
        {"reason": reason[:200]},
    )


def submission_problems(proposal: Proposal) -> dict[str, list[str]]:
    """Everything a proposal still lacks before it can be submitted, per field."""
    missing = str(_l("Required before submitting."))
    problems: dict[str, list[str]] = {}
    for name in (
        "summary",
        "objectives",
        "format",
        "starts_at",
        "ends_at",
        "timezone",
        "expected_size",
        "audience",
    ):
        if not getattr(proposal, name):
            problems[name] = [missing]
    if not proposal.themes:
        problems["themes"] = [str(_l("Choose at least one theme."))]
    if not proposal.languages:
        problems["languages"] = [str(_l("Choose at least one language."))]
    if proposal.format is not EventFormat.ONLINE:
        for name in ("city", "country"):
            if not getattr(proposal, name):
                problems[name] = [str(_l("Required unless the event is online."))]
    if proposal.starts_at and proposal.starts_at <= utcnow():
        problems.setdefault("starts_at", []).append(str(_l("The event must start in the future.")))
    if not cocreation_met(proposal) and not proposal.cocreation_waiver_reason:
        problems["cohosts"] = [
            str(
                _l(
                    "Confirmed hosts must include at least one government (national or "
                    "local) and at least one civil-society organisation."
                )
            )
        ]
    return problems


# Transitions ------------------------------------------------------------------------


def _record(proposal: Proposal, actor: Actor | None, old, new, comment: str) -> None:
    proposal.transitions.append(
        ProposalTransition(
            actor_id=actor_id(actor),
            from_status=old,
            to_status=new,
            comment=(comment or "").strip()[:MAX_COMMENT],
        )
    )


def lock(proposal: Proposal) -> Proposal:
    """Wait until no other transaction is changing `proposal`, then read it afresh.

    Reviews, decisions and submissions that arrive at once (a double click, two reviewers,
    several programs) take turns instead of each acting on what it read before the other
    committed: a second copy of a review, a second decision. PostgreSQL locks the row; on
    SQLite a writing request already holds the database's one write lock."""
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    db.session.expire(proposal)
    return proposal


def transition(
    proposal: Proposal, actor: Actor, allowed: set, new: ProposalStatus, comment: str = ""
) -> None:
    """Move `proposal` to `new` if its status is in `allowed`; record and announce it."""
    if proposal.status not in allowed:
        raise IllegalTransition(
            str(
                _l(
                    "A proposal that is %(status)s cannot become %(new)s.",
                    status=str(STATUS_LABELS[proposal.status]).lower(),
                    new=str(STATUS_LABELS[new]).lower(),
                )
            )
        )
    old = proposal.status
    proposal.status = new
    _record(proposal, actor, old, new, comment)
    _notify_hosts(
        proposal,
        "proposal_status",
        old=old,
        new=new,
        new_label=STATUS_LABELS[new],
        comment=comment,
    )


def submit(actor: User, proposal: Proposal, comment: str = "") -> None:
    """draft or changes_requested → submitted; a resubmission opens a new review round."""
    lock(proposal)
    policy.require_edit_proposal(actor, proposal)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED):
        raise IllegalTransition(
            str(_l("Only a draft or a proposal sent back for changes can be submitted."))
        )
    problems = submission_problems(proposal)
    if problems:
        raise InvalidInput(str(_l("The proposal is not complete yet.")), problems)
    resubmitted = proposal.status is ProposalStatus.CHANGES_REQUESTED
    transition(
        proposal,
        actor,
        {ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED},
        ProposalStatus.SUBMITTED,
        comment,
    )
    if resubmitted:
        # The changed proposal is reviewed afresh; the earlier round's reviews stay as written.
        proposal.review_round += 1
    proposal.submitted_at = utcnow()
    _notify_reviewers(proposal)


def withdraw(actor: User, proposal: Proposal, comment: str = "") -> None:
    lock(proposal)
    policy.require_withdraw_proposal(actor, proposal)
    transition(proposal, actor, set(OPEN_STATUSES), ProposalStatus.WITHDRAWN, comment)


# Notifications ----------------------------------------------------------------------


def _host_people(proposal: Proposal, except_member_id: int | None = None) -> list[User]:
    people: dict[int, User] = {}
    for host in proposal.hosts:
        if host.status is HostStatus.ACCEPTED and host.member_id != except_member_id:
            for focal_point in host.member.focal_points:
                people[focal_point.user_id] = focal_point.user
    return list(people.values())


def _notify_hosts(
    proposal: Proposal, template: str, except_member_id: int | None = None, **context
) -> None:
    for person in _host_people(proposal, except_member_id):
        mail.send(
            template,
            person,
            proposal=proposal,
            url=external_url("proposals.detail", proposal_id=proposal.id),
            **context,
        )


def reviewers_of(proposal: Proposal) -> list[User]:
    """Reviewers and administrators, and focal points of its themes' leaders; no host."""
    theme_ids = policy.with_ancestors(proposal.themes)
    hosts = policy.active_host_ids(proposal)
    query = select(User).where(
        User.active.is_(True),
        or_(
            User.roles.any(role=Role.REVIEWER),
            User.roles.any(role=Role.ADMIN),
            User.focal_points.any(
                FocalPoint.member_id.in_(
                    select(ThemeLeader.member_id).where(ThemeLeader.theme_id.in_(theme_ids))
                )
            ),
        ),
    )
    return [
        person for person in db.session.scalars(query) if not policy.member_ids_of(person) & hosts
    ]


def _notify_reviewers(proposal: Proposal) -> None:
    for person in reviewers_of(proposal):
        mail.send(
            "proposal_submitted",
            person,
            proposal=proposal,
            url=external_url("proposals.detail", proposal_id=proposal.id),
        )
