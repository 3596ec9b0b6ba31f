"""An application's states: their names, the one way to move between them, and the row
lock that makes concurrent changes take turns.

The state machine mirrors a proposal's (DESIGN.md): draft → submitted → in_review →
(changes_requested → submitted …) → appointed | declined, and withdrawn from any open
state. Each move is recorded in `application_transitions` and in the audit log, and
e-mailed to the group's people with an account.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import ApplicationStatus, ApplicationTransition, LeadershipApplication, utcnow
from ...models.base import label
from ...policy import Actor, actor_id
from .. import audit
from ..proposals.states import IllegalTransition, cannot_become
from .notices import notify_group

S = ApplicationStatus
# Every move an application can make; `transition` refuses any other.
EDGES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.CHANGES_REQUESTED, S.APPOINTED, S.DECLINED, S.WITHDRAWN}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.APPOINTED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
OPEN = frozenset(status for status, moves in EDGES.items() if moves)
DECIDED = frozenset({S.APPOINTED, S.DECLINED})
MAX_COMMENT = 5000

__all__ = ["DECIDED", "EDGES", "OPEN", "IllegalTransition", "lock", "log", "record", "transition"]


def log(
    actor: Actor | None,
    application: LeadershipApplication,
    action: str,
    summary: str,
    details: dict | None = None,
) -> None:
    """Add `leadership_application.<action>` about `application` to the audit log."""
    audit.record(
        actor,
        f"leadership_application.{action}",
        "leadership_application",
        application.id,
        summary,
        details,
    )


def record(
    application: LeadershipApplication, actor: Actor | None, old, new, comment: str = ""
) -> None:
    """Add the move from `old` to `new` to the application's history."""
    application.transitions.append(
        ApplicationTransition(
            actor_id=actor_id(actor),
            from_status=old,
            to_status=new,
            comment=(comment or "").strip()[:MAX_COMMENT],
        )
    )


def require_editable(actor: Actor, application: LeadershipApplication) -> None:
    """The group may change its application: it builds it, and it is a draft or was sent
    back for changes."""
    policy.require_edit_application(actor, application)
    if application.status not in policy.EDITABLE_APPLICATION:
        raise IllegalTransition(
            str(_l("Only a draft or an application sent back for changes can be changed."))
        )


def lock(application: LeadershipApplication) -> LeadershipApplication:
    """Wait until no other transaction is changing `application`, then read it afresh.

    Submissions, reviews, decisions and withdrawals that arrive at once take turns instead
    of each acting on what it read before the other committed. PostgreSQL locks the row;
    on SQLite a writing request already holds the database's one write lock."""
    db.session.execute(
        select(LeadershipApplication.id)
        .where(LeadershipApplication.id == application.id)
        .with_for_update()
    )
    db.session.expire(application)
    return application


def transition(
    application: LeadershipApplication,
    actor: Actor | None,
    allowed: set | frozenset,
    new: ApplicationStatus,
    comment: str = "",
) -> None:
    """Move `application` to `new` if its status is in `allowed` and the move is an edge of
    EDGES; record it, log it and e-mail the group. Call `lock` first."""
    old = application.status
    if old not in allowed or new not in EDGES[old]:
        message = _l("An application that is %(status)s cannot become %(new)s.")
        raise cannot_become(message, old, new)
    application.status = new
    if old is S.CHANGES_REQUESTED and new is S.SUBMITTED:
        # The changed application is reviewed afresh: earlier rounds' reviews stay as written.
        application.round += 1
    if new is S.SUBMITTED:
        application.submitted_at = utcnow()
    elif new in DECIDED:
        application.decided_at = utcnow()
    record(application, actor, old, new, comment)
    summary = f"{old.value} → {new.value}: the application “{application.name}”"
    details = {"from": old, "to": new, "round": application.round}
    if comment:
        details["comment"] = comment.strip()[:200]
    log(actor, application, new.value, summary, details)
    notify_group(
        application,
        "leadership_application_status",
        old=old,
        new=new,
        new_label=label(new),
        comment=(comment or "").strip(),
    )
