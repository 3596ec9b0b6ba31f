"""An application's states: the one way to move between them, and the row lock that makes
concurrent changes take turns. (A stand-in for i18-la's module, with its signatures.)"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import ApplicationStatus, ApplicationTransition, LeadershipApplication
from ...models.base import label
from ...policy import Actor, actor_id
from .. import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"


def lock(application: LeadershipApplication) -> LeadershipApplication:
    """Wait until no other transaction is changing `application`, then read it afresh."""
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
    allowed: set,
    new: ApplicationStatus,
    comment: str = "",
) -> None:
    """Move `application` to `new` if its status is in `allowed`, and record the move."""
    if application.status not in allowed:
        raise IllegalTransition(
            str(
                _l(
                    "An application that is %(status)s cannot become %(new)s.",
                    status=str(label(application.status)).lower(),
                    new=str(label(new)).lower(),
                )
            )
        )
    old = application.status
    application.status = new
    application.transitions.append(
        ApplicationTransition(
            actor_id=actor_id(actor), from_status=old, to_status=new, comment=comment or ""
        )
    )
