"""Submitting a proposal once it is complete, and withdrawing it."""

from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import OPEN_STATUSES, EventFormat, Proposal, ProposalStatus, User, utcnow
from .. import InvalidInput
from .hosts import cocreation_met
from .notices import notify_reviewers
from .states import IllegalTransition, lock, transition


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
    notify_reviewers(proposal)


def withdraw(actor: User, proposal: Proposal, comment: str = "") -> None:
    lock(proposal)
    policy.require_withdraw_proposal(actor, proposal)
    transition(proposal, actor, set(OPEN_STATUSES), ProposalStatus.WITHDRAWN, comment)
