"""The thematic leadership programme: calls for leaders, the groups that apply, their
review by criterion, the decision, and the leaderships appointed for a term.

What each module does (they import each other, never this package):

calls         writing a call and its weighted criteria (EN/FR/ES), opening, closing and
              marking it decided; the public lists of open calls
states        an application's states, `transition` (the one way between them, recorded,
              logged and e-mailed) and `lock`
notices       who hears of an application: the group's people, the members asked to join
groups        the group's members and individuals, the multi-stakeholder rule
              (`is_multi_stakeholder`), its waiver, the group's balance
applications  starting, changing, submitting and withdrawing an application; seeing one
reviews       scoring an application per criterion, the weighted score, the review queue
              and the side-by-side comparison of one call's applications
decisions     appoint | decline | request_changes; appointing makes the leadership, and a
              closed call whose applications are all decided becomes decided
leaderships   the current leaderships, inviting members during the term, the term's end
              (the daily job) with one notice before it, the renewal call
personal      what the programme holds about a person: their export, what deletion forgets
"""

from .applications import (
    ActivityInput,
    ApplicationInput,
    add_activity,
    get_application,
    remove_activity,
    save_statements,
    start_application,
    submission_problems,
    submit,
    update_application,
    withdraw,
)
from .calls import (
    CallInput,
    CriterionInput,
    accepts_applications,
    calls_for_theme,
    close_call,
    create_call,
    get_call,
    mark_decided_if_done,
    open_call,
    open_calls,
    update_call,
)
from .groups import (
    Balance,
    IndividualInput,
    add_individual,
    add_member,
    balance,
    is_multi_stakeholder,
    remove_person,
    respond,
    rule_met,
    waive_multi_stakeholder,
)
from .states import IllegalTransition, lock, transition

__all__ = [
    "ActivityInput",
    "ApplicationInput",
    "Balance",
    "CallInput",
    "CriterionInput",
    "IllegalTransition",
    "IndividualInput",
    "accepts_applications",
    "add_activity",
    "add_individual",
    "add_member",
    "balance",
    "calls_for_theme",
    "close_call",
    "create_call",
    "get_application",
    "get_call",
    "is_multi_stakeholder",
    "lock",
    "mark_decided_if_done",
    "open_call",
    "open_calls",
    "remove_activity",
    "remove_person",
    "respond",
    "rule_met",
    "save_statements",
    "start_application",
    "submission_problems",
    "submit",
    "transition",
    "update_application",
    "update_call",
    "waive_multi_stakeholder",
    "withdraw",
]
