"""Registering for an event, and the e-mailed links that confirm or cancel without signing in."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..extensions import db, limiter
from ..models import Awaiting, RegistrationStatus
from ..pages import show_refusal
from ..services import Conflict, InvalidInput
from ..services import registration as service
from ..services.events import get_event
from ..services.members import members_query
from .forms import (
    answers_input,
    confirmation_form,
    registration_form,
    registration_input,
)

bp = Blueprint("registration", __name__)

# Ids are 32-bit in the database: a longer number in a link is simply not found.


def _limit() -> str:
    return current_app.config.get("REGISTRATION_LIMIT", "10 per minute;60 per hour")


def all_members():
    return db.session.scalars(members_query()).all()


def refused(event, message: str, status: int = 409):
    """Why this cannot be done, on a page of its own; nothing of the attempt is kept."""
    db.session.rollback()
    return render_template("registration/refused.html", event=event, message=message), status


def outcome(registration, token: str | None = None):
    """The page that says where a registration stands and what comes next."""
    event = registration.event
    return render_template(
        "registration/outcome.html",
        registration=registration,
        event=event,
        token=token,
        can_register=service.registration_open(event) is None,
    )


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def register(slug: str):
    event = get_event(current_user, slug)
    existing = service.active_registration_of(current_user, event)
    if existing is not None:
        flash(_("You are already registered for this event."), "info")
        return redirect(url_for(".mine_detail", registration_id=existing.id))
    why_closed = service.registration_open(event)
    if why_closed:
        return refused(event, why_closed, 409 if request.method == "POST" else 200)
    form = registration_form(event, all_members(), identity=not current_user.is_authenticated)
    if form.validate_on_submit():
        try:
            registration, _new = service.register_or_remind(
                event, registration_input(form, event), current_user, str(get_locale())
            )
        except InvalidInput as error:
            show_refusal(form, error)
        except Conflict as error:
            return refused(event, error.message, error.status)
        else:
            return _registered(registration)
    status = 422 if form.errors else 200
    return render_template("registration/register.html", event=event, form=form), status


def _registered(registration):
    if not current_user.is_authenticated:
        db.session.commit()  # the page tells a stranger nothing: register_or_remind e-mails
        flash(_("Thank you. Please check your e-mail."), "success")
        return render_template(
            "registration/check_email.html",
            event=registration.event,
            email=registration.user.email,
        )
    db.session.commit()
    flash(STATUS_FLASHES[registration.status](registration), "success")
    return redirect(url_for(".mine_detail", registration_id=registration.id))


STATUS_FLASHES = {
    RegistrationStatus.CONFIRMED: lambda r: _("You are registered."),
    RegistrationStatus.WAITLISTED: lambda r: _(
        "The event is full: you are number %(n)d on the waiting list.", n=r.waitlist_position
    ),
    RegistrationStatus.PENDING: lambda r: (
        _("Your registration awaits the organisers' approval.")
        if r.awaiting is Awaiting.APPROVAL
        else _("Please check your e-mail to confirm your address.")
    ),
    RegistrationStatus.CANCELLED: lambda r: _("Your registration is cancelled."),
    RegistrationStatus.DECLINED: lambda r: _("Your registration was declined."),
}


@bp.route("/registrations/<int:registration_id>/confirm/<token>", methods=["GET", "POST"])
def confirm(registration_id: int, token: str):
    # Confirming takes a click, so mail scanners that open links do not act on them.
    registration = service.registration_by_token(registration_id, token)
    if registration.awaiting is not Awaiting.EMAIL:
        return outcome(registration, token)
    event, asked = registration.event, service.answers_asked(registration)
    form = confirmation_form(
        event, None if request.method == "POST" else registration.answers, asked
    )
    if form.validate_on_submit():
        try:
            service.confirm_email(
                registration_id, token, answers_input(form, event) if asked else None
            )
        except (InvalidInput, Conflict) as error:
            if not error.fields:
                return refused(event, error.message, error.status)
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(STATUS_FLASHES[registration.status](registration), "success")
            return outcome(registration, token)
    return _confirm_page(registration, token, form)


def _confirm_page(registration, token: str, form):
    """The confirmation page; the form's answers are for those a delegation registered (or
    registered before a question became required)."""
    action = url_for(".confirm", registration_id=registration.id, token=token)
    page = render_template(
        "registration/confirm.html", registration=registration, form=form, action=action
    )
    return page, 422 if form.errors else 200


@bp.route("/registrations/<int:registration_id>/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(registration_id: int, token: str):
    registration = service.registration_by_token(registration_id, token)
    form = FlaskForm()
    if not registration.is_active:
        return outcome(registration, token)
    if not form.validate_on_submit():
        action = url_for(".cancel_by_link", registration_id=registration_id, token=token)
        return render_template(
            "registration/cancel.html", registration=registration, form=form, action=action
        )
    service.cancel(registration)
    db.session.commit()
    flash(_("Your registration is cancelled. Thank you for freeing your seat."), "success")
    return outcome(registration, token)
