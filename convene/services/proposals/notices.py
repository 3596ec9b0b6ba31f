"""Who hears of a proposal: its hosts' focal points, and the reviewers of a submission."""

from sqlalchemy import or_, select

from ... import policy
from ...extensions import db
from ...models import FocalPoint, HostStatus, Proposal, Role, ThemeLeader, User
from ...urls import external_url
from .. import mail


def _host_people(proposal: Proposal, except_member_id: int | None = None) -> list[User]:
    people: dict[int, User] = {}
    for host in proposal.hosts:
        if host.status is HostStatus.ACCEPTED and host.member_id != except_member_id:
            for focal_point in host.member.focal_points:
                people[focal_point.user_id] = focal_point.user
    return list(people.values())


def notify_hosts(
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


def notify_reviewers(proposal: Proposal) -> None:
    for person in reviewers_of(proposal):
        mail.send(
            "proposal_submitted",
            person,
            proposal=proposal,
            url=external_url("proposals.detail", proposal_id=proposal.id),
        )
