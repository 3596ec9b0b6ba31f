"""Sign-up, e-mail confirmation, sign-in and out, password reset, profile, API tokens."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter, login_manager
from ..models import User
from ..pages import form_answer, refused
from ..services import InvalidInput, accounts, content
from .forms import ConfirmForm, EmailForm, ResetPasswordForm, SignInForm, SignUpForm

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = None


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    user_id, _sep, session_token = cookie_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != session_token:
        return None
    return user


def safe_next(default: str) -> str:
    """`next` if it points into this site, `default` otherwise."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    ):
        return target
    return default


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def signed_out(message: str):
    """Commit, end this browser's sign-in, and ask them to sign in again saying `message`."""
    db.session.commit()
    logout_user()
    flash(message, "success")
    return redirect(url_for("auth.sign_in"))


def _check_email(email: str, **context):
    """Commit and say an e-mail is on its way to `email` (the same whether or not it has an
    account, so the page tells no one who has one)."""
    db.session.commit()
    return render_template("auth/check_email.html", email=email, **context)


def _send_link(send, template: str, **context):
    """The e-mail form at `template`; posted, `send(email)` and `_check_email`."""
    form = EmailForm()
    if form.validate_on_submit():
        send(form.email.data)
        return _check_email(form.email.data, **context)
    return render_template(template, form=form)


@bp.route("/sign-up", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def sign_up():
    form = SignUpForm()
    return form_answer(
        form,
        lambda: accounts.sign_up(
            form.email.data, form.name.data, form.password.data, locale=session.get("locale")
        ),
        lambda _user: _check_email(form.email.data),
    ) or render_template("auth/sign_up.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    # Confirming takes a click, so mail scanners that open links do not spend the token.
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = accounts.confirm_email(token)
        except InvalidInput as error:
            return refused(error, url_for("auth.resend_confirmation"))
        db.session.commit()
        flash(_("Thank you, your e-mail address is confirmed. You can sign in now."), "success")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("home.index"))
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/confirm.html", form=form)


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def resend_confirmation():
    return _send_link(accounts.resend_confirmation, "auth/resend.html")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("home.index")))
    form = SignInForm()
    unconfirmed = False
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.EmailNotConfirmed:
            unconfirmed = True
            form.form_errors.append(
                _(
                    "Please confirm your e-mail address first: follow the link "
                    "we sent you, or ask for a new one below."
                )
            )
        except InvalidInput as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            session.clear()  # a fresh session at sign-in, so no one can plant one beforehand
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/sign_in.html", form=form, unconfirmed=unconfirmed)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    # CSRFProtect checks every POST, so a cross-site page cannot sign people out.
    # Cookies are signed, not stored: the only way to make a copy of this one useless is
    # a new session token, which also ends the account's other sessions.
    if current_user.is_authenticated:
        accounts.sign_out_everywhere(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def forgot_password():
    return _send_link(accounts.request_password_reset, "auth/forgot.html", reset=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        accounts.check_reset_token(token)
    except InvalidInput as error:
        return refused(error, url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    return form_answer(
        form,
        lambda: accounts.reset_password(token, form.password.data),
        lambda _user: signed_out(_("Your password is changed. Sign in with it now.")),
    ) or render_template("auth/reset.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language():
    locale = request.form.get("locale", "")
    if locale in content.LANGUAGES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(url_for("home.index")))
