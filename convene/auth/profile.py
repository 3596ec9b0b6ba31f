"""The signed-in person's own pages under /me/: profile, password and API tokens."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import db
from ..forms import apply_errors
from ..services import DomainError, InvalidInput, accounts
from .forms import ChangePasswordForm, ConfirmForm, ProfileForm, TokenForm
from .views import bp


def _profile_page(profile_form=None, password_form=None, token_form=None, new_token=None):
    return render_template(
        "auth/profile.html",
        profile_form=profile_form or ProfileForm(obj=current_user, formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        tokens=accounts.api_tokens_of(current_user),
        new_token=new_token,
        action_form=ConfirmForm(),
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            accounts.update_profile(
                current_user, form.name.data, form.timezone.data, form.locale.data
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(profile_form=form)


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(
                _(
                    "Your password is changed and you were signed out everywhere. "
                    "Sign in with the new password."
                ),
                "success",
            )
            return redirect(url_for("auth.sign_in"))
    return _profile_page(password_form=form), 422


@bp.route("/me/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = accounts.create_api_token(current_user, form.name.data)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("auth.profile"))
        db.session.commit()
        flash(_("Token created. Copy it now: it will not be shown again."), "success")
        return _profile_page(new_token=secret)
    return _profile_page(token_form=form), 422


@bp.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    accounts.revoke_api_token(current_user, token_id)
    db.session.commit()
    flash(_("The token is revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/me/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    accounts.sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.sign_in"))
