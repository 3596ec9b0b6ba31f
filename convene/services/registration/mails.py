"""The e-mails to the person registered: each with the links to the event, to confirm and
to cancel."""

from datetime import timedelta

from flask import current_app

from ...extensions import db
from ...models import Awaiting, Registration, RegistrationStatus, utcnow
from ...urls import external_url
from .. import mail
from .links import manage_token

CONFIRMATION_HOURS = 48


def mail_registrant(registration: Registration, template: str, **context) -> None:
    """E-mail the person registered, with the links to the event, to confirm and to cancel."""
    event = registration.event
    token = manage_token(registration)
    links = {
        "event_url": external_url("events.detail", slug=event.slug),
        "confirm_url": external_url(
            "registration.confirm", registration_id=registration.id, token=token
        ),
        "cancel_url": external_url(
            "registration.cancel_by_link", registration_id=registration.id, token=token
        ),
    }
    mail.send(
        template, registration.user, event=event, registration=registration, **links, **context
    )


def ask_to_confirm(registration: Registration) -> None:
    """Give the person REGISTRATION_CONFIRMATION_HOURS from now to confirm their address,
    and e-mail them the link that does."""
    hours = current_app.config.get("REGISTRATION_CONFIRMATION_HOURS", CONFIRMATION_HOURS)
    registration.expires_at = utcnow() + timedelta(hours=hours)
    db.session.flush()  # a new registration gets the id its links carry
    mail_registrant(registration, "registration_confirm_email", hours=hours)


def remind(registration: Registration) -> None:
    """Send again the e-mail that matches the registration's state.

    For someone who registers again without signing in: the page must not tell a stranger
    who typed the address whether it is registered, so the e-mail does.
    """
    if (
        registration.status is RegistrationStatus.PENDING
        and registration.awaiting is Awaiting.EMAIL
    ):
        ask_to_confirm(registration)
    elif registration.status is RegistrationStatus.PENDING:
        mail_registrant(registration, "registration_pending_approval")
    elif registration.status is RegistrationStatus.CONFIRMED:
        mail_registrant(registration, "registration_confirmed")
    elif registration.status is RegistrationStatus.WAITLISTED:
        mail_registrant(registration, "registration_waitlisted")
