"""The signed-in person's registrations under /me/registrations: list, change, cancel."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..pages import done, form_answer
from ..services import registration as service
from .forms import registration_data, registration_form, registration_input
from .views import all_members, bp


@bp.route("/me/registrations")
@login_required
def mine():
    registrations = service.registrations_of_user(current_user)
    return render_template("registration/mine.html", registrations=registrations)


@bp.route("/me/registrations/<int:registration_id>", methods=["GET", "POST"])
@login_required
def mine_detail(registration_id: int):
    registration = service.own_registration(current_user, registration_id)
    event, locked = registration.event, service.answers_locked(registration)
    posted = request.method == "POST" and locked is None
    data = None if posted else registration_data(registration)
    form = registration_form(event, all_members(), identity=False, data=data)
    here = url_for(".mine_detail", registration_id=registration_id)
    answer = posted and form_answer(
        form,
        lambda: service.update_answers(current_user, registration, registration_input(form, event)),
        lambda _result: done(_("Your details are saved."), here),
        refused_url=here,
    )
    return answer or (
        render_template(
            "registration/mine_detail.html", registration=registration, form=form, locked=locked
        ),
        422 if form.errors else 200,
    )


@bp.route("/me/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_mine(registration_id: int):
    registration = service.own_registration(current_user, registration_id)
    form = FlaskForm()
    if not registration.is_active:
        flash(_("This registration is already cancelled."), "info")
        return redirect(url_for(".mine"))
    if form.validate_on_submit():
        service.cancel_own(current_user, registration)
        return done(
            _("Your registration is cancelled. Thank you for freeing your seat."), url_for(".mine")
        )
    action = url_for(".cancel_mine", registration_id=registration_id)
    return render_template(
        "registration/cancel.html", registration=registration, form=form, action=action
    )
