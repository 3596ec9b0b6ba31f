"""E-mail: every message's subject and attachment in one table, and the one way to send one.

A message is a template, templates/emails/<name>.txt. MESSAGES gives each its subject (a
lazy string whose placeholders come from the message's context, so that it is translated
in the recipient's language) and says whether it carries the person's copy of the event
as an .ics file. `send` queues it through the outbox, in the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask_babel import lazy_gettext as _l

from ..models import OutboxMessage, User
from .outbox import queue_mail


@dataclass(frozen=True)
class Message:
    # The subject, from the message's context (its keyword arguments).
    subject: Callable[..., object]
    # Attaches the registration's event (context["registration"]) for the person's calendar.
    calendar: bool = False


MESSAGES: dict[str, Message] = {
    # Accounts and members
    "account_exists": Message(lambda **_: _l("Your convene account")),
    "confirm_email": Message(lambda **_: _l("Confirm your e-mail address")),
    "reset_password": Message(lambda **_: _l("Reset your convene password")),
    "focal_point_invitation": Message(lambda **_: _l("You are invited to convene")),
    "focal_point_added": Message(
        lambda member, **_: _l("You now speak for %(member)s", member=member.name)
    ),
    # Proposals
    "cohost_invitation": Message(
        lambda proposal, **_: _l("Invitation to co-host “%(title)s”", title=proposal.title)
    ),
    "cohost_response": Message(
        lambda proposal, **_: _l("Co-host answer for “%(title)s”", title=proposal.title)
    ),
    "proposal_submitted": Message(
        lambda proposal, **_: _l("New proposal to review: “%(title)s”", title=proposal.title)
    ),
    "proposal_status": Message(
        lambda proposal, new_label, **_: _l(
            "“%(title)s” is now %(status)s", title=proposal.title, status=new_label
        )
    ),
    # Events
    "organiser_added": Message(
        lambda event, **_: _l("You now organise %(title)s", title=event.title)
    ),
    "event_changed": Message(
        lambda event, **_: _l("%(title)s has changed", title=event.title), calendar=True
    ),
    "event_cancelled": Message(
        lambda event, **_: _l("%(title)s is cancelled", title=event.title), calendar=True
    ),
    # Registration
    "registration_confirm_email": Message(
        lambda event, **_: _l("Confirm your registration for %(title)s", title=event.title)
    ),
    "registration_pending_approval": Message(
        lambda event, **_: _l("Your registration for %(title)s awaits approval", title=event.title)
    ),
    "registration_confirmed": Message(
        lambda event, **_: _l("You are registered for %(title)s", title=event.title),
        calendar=True,
    ),
    "registration_waitlisted": Message(
        lambda event, **_: _l("You are on the waiting list for %(title)s", title=event.title)
    ),
    "registration_promoted": Message(
        lambda event, **_: _l("A seat is yours at %(title)s", title=event.title), calendar=True
    ),
    "registration_declined": Message(
        lambda event, **_: _l("Your registration for %(title)s", title=event.title)
    ),
    "registration_cancelled": Message(
        lambda event, **_: _l("Your registration for %(title)s is cancelled", title=event.title),
        calendar=True,
    ),
    # Follow-up
    "commitment_reminder": Message(
        lambda commitment, late, **_: (
            _l("Overdue: %(title)s", title=commitment.title)
            if late
            else _l("Due soon: %(title)s", title=commitment.title)
        )
    ),
}


def send(template: str, to: User | str, locale: str | None = None, **context) -> OutboxMessage:
    """Queue `template`'s message to a person (as `user`, in their language, else `locale`)
    or to an address; it leaves only if the caller's transaction commits."""
    message = MESSAGES[template]
    if isinstance(to, User):
        address, locale = to.email, to.locale or locale
        context = {"user": to, **context}
    else:
        address = to
    attachment = None
    if message.calendar:
        # Made as the transaction commits, from the rows as committed (see queue_mail).
        # Imported here until agenda stops importing registration (policy/): calendars
        # reads agendas, and agenda → registration → mail would close a cycle.
        from .calendars import registration_attachment

        attachment = partial(registration_attachment, context["registration"])
    subject = message.subject(**context)
    return queue_mail(
        address, template, subject, template, locale=locale, attachment=attachment, **context
    )
