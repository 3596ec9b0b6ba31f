"""A proposal's states: their names, the one way to move between them, and the row lock
that makes concurrent changes take turns.

The state machine is DESIGN.md's: draft → submitted → in_review → (changes_requested →
submitted …) → accepted | declined, and withdrawn from any open state. Each transition
is recorded in `proposal_transitions` and e-mailed to the hosts.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Proposal, ProposalStatus, ProposalTransition
from ...models.base import label
from ...policy import Actor, actor_id
from .. import Conflict
from .input import MAX_COMMENT
from .notices import notify_hosts


class IllegalTransition(Conflict):
    code = "illegal_transition"


def cannot_become(message, old, new) -> IllegalTransition:
    """The refusal of a move from `old` to `new`: `message` (a lazy string with the
    placeholders %(status)s and %(new)s) with their labels, in the reader's language."""
    names = {"status": str(label(old)).lower(), "new": str(label(new)).lower()}
    return IllegalTransition(str(message) % names)


def record(proposal: Proposal, actor: Actor | None, old, new, comment: str) -> None:
    """Add the move from `old` to `new` to the proposal's history."""
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
        message = _l("A proposal that is %(status)s cannot become %(new)s.")
        raise cannot_become(message, proposal.status, new)
    old = proposal.status
    proposal.status = new
    record(proposal, actor, old, new, comment)
    notify_hosts(
        proposal,
        "proposal_status",
        old=old,
        new=new,
        new_label=label(new),
        comment=comment,
    )
