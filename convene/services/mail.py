"""E-mail: every message's subject and attachment in one table, and the one way to send one.

A message is a template, templates/emails/<name>.txt. MESSAGES gives each its subject (a
lazy string whose placeholders come from the message's context, so that it is translated
in the recipient's language) and says whether it carries the person's copy of the event
as an .ics file. `send` queues it through the outbox, in the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask_babel import LazyString, lazy_gettext

from ..models import OutboxMessage, User
from .calendars import registration_attachment
from .outbox import queue_mail


def N_(msgid: str) -> str:  # noqa: N802 - Babel's name for it, which extraction finds
    """Marks a message for extraction; it is translated when sent, in the recipient's language."""
    return msgid


Values = Callable[..., dict[str, object]]


def _none(**_) -> dict[str, object]:
    return {}


def _event(event, **_) -> dict[str, object]:
    return {"title": event.title}


def _proposal(proposal, **_) -> dict[str, object]:
    return {"title": proposal.title}


def _proposal_status(proposal, new_label, **_) -> dict[str, object]:
    return {"title": proposal.title, "status": new_label}


def _application(application, **_) -> dict[str, object]:
    return {"name": application.name}


def _application_status(application, new_label, **_) -> dict[str, object]:
    return {"name": application.name, "status": new_label}


def _member(member, **_) -> dict[str, object]:
    return {"member": member.name}


def _commitment(commitment, **_) -> dict[str, object]:
    return {"title": commitment.title}


def _application_decision(application, decision_label, **_) -> dict[str, object]:
    return {"name": application.name, "status": decision_label}


def _leadership(leadership, **_) -> dict[str, object]:
    return {"name": leadership.name}


def _leadership_member(leadership, member, **_) -> dict[str, object]:
    return {"name": leadership.name, "member": member.name}


def _due(late, **_) -> str:
    return N_("Overdue: %(title)s") if late else N_("Due soon: %(title)s")


@dataclass(frozen=True)
class Message:
    # The subject with its %(placeholders)s, or a function choosing it from the context.
    subject: str | Callable[..., str]
    # The placeholders' values, from the message's context (its keyword arguments).
    values: Values = _none
    # Attaches the registration's event (context["registration"]) for the person's calendar.
    calendar: bool = False


MESSAGES: dict[str, Message] = {
    # Accounts and members
    "account_exists": Message(N_("Your convene account")),
    "confirm_email": Message(N_("Confirm your e-mail address")),
    "reset_password": Message(N_("Reset your convene password")),
    "focal_point_invitation": Message(N_("You are invited to convene")),
    "focal_point_added": Message(N_("You now speak for %(member)s"), _member),
    # Proposals
    "cohost_invitation": Message(N_("Invitation to co-host “%(title)s”"), _proposal),
    "cohost_response": Message(N_("Co-host answer for “%(title)s”"), _proposal),
    "proposal_submitted": Message(N_("New proposal to review: “%(title)s”"), _proposal),
    "proposal_status": Message(N_("“%(title)s” is now %(status)s"), _proposal_status),
    # Leadership calls and applications
    "leadership_member_invitation": Message(
        N_("Invitation to join the group “%(name)s”"), _application
    ),
    "leadership_member_response": Message(N_("Answer from a member of “%(name)s”"), _application),
    "leadership_application_status": Message(
        N_("The application “%(name)s” is now %(status)s"), _application_status
    ),
    # Events
    "organiser_added": Message(N_("You now organise %(title)s"), _event),
    "event_changed": Message(N_("%(title)s has changed"), _event, calendar=True),
    "event_cancelled": Message(N_("%(title)s is cancelled"), _event, calendar=True),
    # Registration
    "registration_confirm_email": Message(N_("Confirm your registration for %(title)s"), _event),
    "registration_pending_approval": Message(
        N_("Your registration for %(title)s awaits approval"), _event
    ),
    "registration_confirmed": Message(
        N_("You are registered for %(title)s"), _event, calendar=True
    ),
    "registration_waitlisted": Message(N_("You are on the waiting list for %(title)s"), _event),
    "registration_promoted": Message(N_("A seat is yours at %(title)s"), _event, calendar=True),
    "registration_declined": Message(N_("Your registration for %(title)s"), _event),
    "registration_cancelled": Message(
        N_("Your registration for %(title)s is cancelled"), _event, calendar=True
    ),
    # Follow-up
    "commitment_reminder": Message(_due, _commitment),
    # Leaderships
    "leadership_invitation": Message(N_("Invitation to join the leaders “%(name)s”"), _leadership),
    "leadership_joined": Message(N_("%(member)s joins the leaders “%(name)s”"), _leadership_member),
    "leadership_ending": Message(N_("The term of the leaders “%(name)s” is ending"), _leadership),
}


def _subject(message: Message, context: dict) -> LazyString:
    """The subject, translated and filled in when the outbox reads it, in the recipient's
    language."""
    subject = message.subject
    if not isinstance(subject, str):
        subject = subject(**context)
    return lazy_gettext(subject, **message.values(**context))


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
        attachment = partial(registration_attachment, context["registration"])
    return queue_mail(
        address,
        template,
        _subject(message, context),
        template,
        locale=locale,
        attachment=attachment,
        **context,
    )


def send_to_member(template: str, member, **context) -> None:
    """Queue `template` to each focal point of `member`, the people who speak for it, with
    the member in the context."""
    for focal_point in member.focal_points:
        send(template, focal_point.user, member=member, **context)
