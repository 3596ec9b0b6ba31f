"""A proposal's co-hosts: invitations, their answers, and the co-creation rule."""

from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import HostStatus, Member, MemberKind, Proposal, ProposalHost, User, utcnow
from ...policy import Actor, actor_id
from ...urls import external_url
from .. import NotFound, audit, mail
from .input import MAX_COMMENT, required_text
from .notices import notify_hosts
from .states import IllegalTransition


def invite(proposal: Proposal, members: list[Member], actor: User) -> None:
    """Invite `members` to co-host, e-mailing their focal points."""
    for member in members:
        proposal.hosts.append(ProposalHost(member=member, status=HostStatus.INVITED))
        url = external_url("proposals.detail", proposal_id=proposal.id)
        mail.send_to_member("cohost_invitation", member, proposal=proposal, inviter=actor, url=url)


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
    record_host(actor, proposal, host, "proposal.cohost_answered", summary)
    notify_hosts(
        proposal,
        "cohost_response",
        except_member_id=member_id,
        member=host.member,
        accepted=accept,
    )


def record_host(
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
    reason = required_text("reason", reason, _l("Say why the rule is waived."))
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
