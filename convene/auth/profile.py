"""The signed-in person's own pages under /me/: profile, password and API tokens."""

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..pages import done, form_answer, refused
from ..services import DomainError, accounts
from .forms import ChangePasswordForm, ConfirmForm, ProfileForm, TokenForm
from .views import bp, signed_out


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
    return form_answer(
        form,
        lambda: accounts.update_profile(
            current_user, form.name.data, form.timezone.data, form.locale.data
        ),
        lambda _result: done(_("Your profile is saved."), url_for("auth.profile")),
    ) or _profile_page(profile_form=form)


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    message = _(
        "Your password is changed and you were signed out everywhere. "
        "Sign in with the new password."
    )
    return form_answer(
        form,
        lambda: accounts.change_password(
            current_user, form.current_password.data, form.new_password.data
        ),
        lambda _result: signed_out(message),
    ) or (_profile_page(password_form=form), 422)


@bp.route("/me/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _profile_page(token_form=form), 422
    try:
        _token, secret = accounts.create_api_token(current_user, form.name.data)
    except DomainError as error:  # too many tokens, or a name the form let through
        return refused(error, url_for("auth.profile"))
    db.session.commit()
    flash(_("Token created. Copy it now: it will not be shown again."), "success")
    return _profile_page(new_token=secret)


@bp.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    accounts.revoke_api_token(current_user, token_id)
    return done(_("The token is revoked."), url_for("auth.profile"))


@bp.route("/me/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    accounts.sign_out_everywhere(current_user)
    return signed_out(_("You are signed out on every device."))
