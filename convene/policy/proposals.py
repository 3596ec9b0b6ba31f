"""Proposals: who sees one, who proposes, answers, reviews and decides.

Reviewers (the role) and administrators review every submitted proposal; the focal points
of a theme's leaders review that theme's proposals and its sub-themes'. Nobody reviews or
decides on a proposal a member they speak for hosts (conflict of interest).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select

from ..extensions import db
from ..models import HostStatus, Proposal, ProposalHost, ProposalStatus, Role, Theme, ThemeLeader
from .people import (
    ADMINISTRATORS_ONLY,
    Actor,
    can_administer,
    is_signed_in,
    member_ids_of,
    refuse_unless,
    refuse_with,
)

# Reviews are written while a proposal is in these states.
REVIEWABLE = {ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW}


# Facts the rules are made of -------------------------------------------------------


def active_host_ids(proposal: Proposal) -> set[int]:
    """Members hosting or invited to host; a declined invitation is not a host."""
    return {h.member_id for h in proposal.hosts if h.status is not HostStatus.DECLINED}


def led_theme_ids(user: Actor | None) -> set[int]:
    """Themes whose thematic-leader group includes one of the person's members."""
    members = member_ids_of(user)
    if not members:
        return set()
    return set(
        db.session.scalars(select(ThemeLeader.theme_id).where(ThemeLeader.member_id.in_(members)))
    )


def reviewable_theme_ids(user: Actor | None) -> set[int]:
    """Themes a thematic leader reviews: the ones it leads and their sub-themes."""
    led = led_theme_ids(user)
    if not led:
        return set()
    return led | set(db.session.scalars(select(Theme.id).where(Theme.parent_id.in_(led))))


def with_ancestors(themes: list[Theme]) -> set[int]:
    """The ids of `themes` and of every theme above them."""
    ids = set()
    for theme in themes:
        while theme is not None:
            ids.add(theme.id)
            theme = theme.parent
    return ids


def is_proposer(user: Actor | None, proposal: Proposal) -> bool:
    """A focal point of the proposing member."""
    return proposal.member_id in member_ids_of(user)


def leads_a_theme_of(user: Actor | None, proposal: Proposal) -> bool:
    """True for focal points of a leader of one of its themes, or of a parent theme."""
    return bool(led_theme_ids(user) & with_ancestors(proposal.themes))


def is_reviewer(user: Actor | None) -> bool:
    return bool(is_signed_in(user) and (user.is_admin or user.has_role(Role.REVIEWER)))


def conflict_of_interest(user: Actor | None, proposal: Proposal) -> bool:
    """A member the person speaks for hosts the proposal, or is invited to."""
    return bool(member_ids_of(user) & active_host_ids(proposal))


# Seeing ----------------------------------------------------------------------------


def can_view_proposal(user: Actor | None, proposal: Proposal) -> bool:
    """Its hosts always; once submitted, reviewers and the leaders of its themes."""
    if not is_signed_in(user):
        return False
    if user.is_admin or member_ids_of(user) & active_host_ids(proposal):
        return True
    if proposal.status is ProposalStatus.DRAFT:
        return False
    return is_reviewer(user) or leads_a_theme_of(user, proposal)


def visible_proposals(user: Actor) -> Select:
    """A query of every proposal `user` may see: can_view_proposal, in SQL."""
    query = select(Proposal)
    if user.is_admin:
        return query
    hosted = Proposal.hosts.any(
        and_(
            ProposalHost.member_id.in_(member_ids_of(user)),
            ProposalHost.status != HostStatus.DECLINED,
        )
    )
    seen = [hosted]
    if is_reviewer(user):
        seen.append(Proposal.status != ProposalStatus.DRAFT)
    themes = reviewable_theme_ids(user)
    if themes:
        seen.append(
            and_(Proposal.status != ProposalStatus.DRAFT, Proposal.themes.any(Theme.id.in_(themes)))
        )
    return query.where(or_(*seen))


# Proposing and hosting -------------------------------------------------------------


def can_propose(user: Actor | None) -> bool:
    """Focal points propose events, each for a member they speak for."""
    return bool(member_ids_of(user))


def can_propose_for(user: Actor | None, member_id: int) -> bool:
    return member_id in member_ids_of(user)


def require_propose_for(user: Actor | None, member_id: int) -> None:
    refuse_unless(
        can_propose_for(user, member_id),
        _l("You can only propose events for a member you speak for."),
    )


def can_edit_proposal(user: Actor | None, proposal: Proposal) -> bool:
    """The proposing member's focal points edit and submit it."""
    return is_proposer(user, proposal)


def require_edit_proposal(user: Actor | None, proposal: Proposal) -> None:
    refuse_unless(
        can_edit_proposal(user, proposal),
        _l("Only focal points of the proposing member can do this."),
    )


def can_withdraw_proposal(user: Actor | None, proposal: Proposal) -> bool:
    """The proposing member's focal points, and administrators."""
    return is_proposer(user, proposal) or can_administer(user)


def require_withdraw_proposal(user: Actor | None, proposal: Proposal) -> None:
    refuse_unless(
        can_withdraw_proposal(user, proposal),
        _l("Only focal points of the proposing member can do this."),
    )


def can_answer_invitation(user: Actor | None, member_id: int) -> bool:
    """An invited member's focal points answer its invitation to co-host."""
    return member_id in member_ids_of(user)


def require_answer_invitation(user: Actor | None, member_id: int) -> None:
    refuse_unless(can_answer_invitation(user, member_id), _l("You do not speak for this member."))


def can_waive_cocreation(user: Actor | None, proposal: Proposal) -> bool:
    """Administrators relax the co-creation rule for one proposal."""
    return can_administer(user)


def require_waive_cocreation(user: Actor | None, proposal: Proposal) -> None:
    refuse_unless(can_waive_cocreation(user, proposal), ADMINISTRATORS_ONLY)


# Reviewing and deciding ------------------------------------------------------------


def review_refusal(user: Actor, proposal: Proposal) -> str | None:
    """Why `user` may not review `proposal`, or None if they may."""
    if not (is_reviewer(user) or leads_a_theme_of(user, proposal)):
        return str(_l("Only reviewers and the thematic leaders of its themes review proposals."))
    if conflict_of_interest(user, proposal):
        return str(
            _l(
                "You cannot review this proposal: a member you speak for is one of its "
                "hosts (conflict of interest)."
            )
        )
    if proposal.status not in REVIEWABLE:
        return str(_l("Reviews are open only while a proposal is submitted or in review."))
    return None


def can_review(user: Actor, proposal: Proposal) -> bool:
    return review_refusal(user, proposal) is None


def decision_refusal(user: Actor, proposal: Proposal) -> str | None:
    """Why `user` may not decide on `proposal`, or None if they may (its state aside)."""
    if not (user.is_admin or user.has_role(Role.REVIEWER)):
        return str(_l("Only administrators and reviewers decide on proposals."))
    if conflict_of_interest(user, proposal):
        return str(
            _l(
                "You cannot decide on this proposal: a member you speak for is one of "
                "its hosts (conflict of interest)."
            )
        )
    return None


def can_decide(user: Actor, proposal: Proposal) -> bool:
    return decision_refusal(user, proposal) is None


def require_decide(user: Actor, proposal: Proposal) -> None:
    refuse_with(decision_refusal(user, proposal))


def can_see_reviews(user: Actor, proposal: Proposal) -> bool:
    """Reviewers, administrators and the leaders of its themes (unless they host it) read
    its reviews; hosts see the decision only."""
    return is_reviewer(user) or (
        leads_a_theme_of(user, proposal) and not conflict_of_interest(user, proposal)
    )


def can_see_review_queue(user: Actor) -> bool:
    return is_reviewer(user) or bool(led_theme_ids(user))


def require_see_review_queue(user: Actor) -> None:
    refuse_unless(
        can_see_review_queue(user), _l("Only reviewers and thematic leaders see the queue.")
    )
