"""Event proposals: drafting, co-hosting, submission and withdrawal (who may: policy).

states      the states' names, `transition` (the one way between them) and `lock`, which
            makes reviews, decisions, submissions and withdrawals of a proposal take turns
input       what a proposer types and its checks
drafting    seeing proposals, creating and changing a draft
hosts       co-host invitations and answers; the co-creation rule and its waiver
submission  completeness, submitting and withdrawing
notices     who is e-mailed: the hosts' focal points, the reviewers

Reviews and decisions are services.reviews.
"""

from .drafting import create_proposal, get_proposal, proposals_of_my_members, update_proposal
from .hosts import cocreation_met, respond_to_invitation, waive_cocreation
from .input import (
    CONTENT,
    MAX_AUDIENCE,
    MAX_COMMENT,
    MAX_SIZE,
    MAX_SUMMARY,
    MAX_TITLE,
    ProposalInput,
    required_text,
)
from .notices import reviewers_of
from .states import IllegalTransition, lock, transition
from .submission import submission_problems, submit, withdraw

__all__ = [
    "CONTENT",
    "MAX_AUDIENCE",
    "MAX_COMMENT",
    "MAX_SIZE",
    "MAX_SUMMARY",
    "MAX_TITLE",
    "IllegalTransition",
    "ProposalInput",
    "cocreation_met",
    "create_proposal",
    "get_proposal",
    "lock",
    "proposals_of_my_members",
    "required_text",
    "respond_to_invitation",
    "reviewers_of",
    "submission_problems",
    "submit",
    "transition",
    "update_proposal",
    "waive_cocreation",
    "withdraw",
]
