"""Drafting proposals: seeing them, creating and changing a draft (who may: policy)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import HostStatus, Proposal, ProposalHost, ProposalStatus, User, utcnow
from ...policy import Actor
from .. import NotFound, audit
from .hosts import invite, record_host
from .input import CONTENT, ProposalInput, apply, clean
from .states import IllegalTransition, record


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


def create_proposal(actor: User, member_id: int, data: ProposalInput) -> Proposal:
    """A new draft for `member_id`, whose focal point `actor` must be."""
    policy.require_propose_for(actor, member_id)
    values = clean(data, member_id)
    proposal = Proposal(
        member_id=member_id,
        created_by_id=actor.id,
        title=values["title"],
        status=ProposalStatus.DRAFT,
    )
    apply(proposal, values)
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
    record(proposal, actor, None, ProposalStatus.DRAFT, "")
    db.session.flush()
    invite(proposal, values.get("cohosts", []), actor)
    return proposal


def update_proposal(actor: User, proposal: Proposal, data: ProposalInput) -> Proposal:
    """Change a draft, or a proposal sent back for changes; nothing else is editable."""
    policy.require_edit_proposal(actor, proposal)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED):
        raise IllegalTransition(
            str(_l("Only a draft or a proposal sent back for changes can be edited."))
        )
    values = clean(data, proposal.member_id)
    # Reviews of an earlier round judged the text as it was: the log keeps what changed.
    before = audit.snapshot(proposal, [*CONTENT, "themes"])
    apply(proposal, values)
    if changed := audit.changes(before, proposal):
        summary = f"changed “{proposal.title}”"
        audit.record(actor, "proposal.changed", "proposal", proposal.id, summary, changed)
    wanted = {member.id: member for member in values.get("cohosts", [])}
    for host in list(proposal.hosts):
        if not host.is_lead and host.member_id not in wanted:
            # The row goes, and with it the host's answer: the log keeps it.
            summary = f"removed {host.member.slug} ({host.status.value}) as a co-host of"
            record_host(actor, proposal, host, "proposal.cohost_removed", summary)
            proposal.hosts.remove(host)
    known = {host.member_id for host in proposal.hosts}
    invite(proposal, [m for i, m in wanted.items() if i not in known], actor)
    return proposal
