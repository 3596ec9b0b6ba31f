from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import Form, SelectField, TimezoneField, choices, strip
from ..services.accounts import PASSWORD_MIN_LENGTH
from ..services.content import LANGUAGES, autonym


def _full_name():
    return StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )


def _email(*checks):
    """The address, required; `checks` (Email()) where a new one is given."""
    return EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), *checks, Length(max=254)],
        filters=[strip],
    )


def _password(label, **kwargs):
    return PasswordField(label, validators=[DataRequired(), Length(max=200)], **kwargs)


def _repeated(label):
    """The new password again, refused when it differs from the `password` field."""
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(max=200),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )


class SignUpForm(Form):
    name = _full_name()
    email = _email(Email())
    password = _password(
        _l("Password"), description=_l("At least %(n)d characters.", n=PASSWORD_MIN_LENGTH)
    )
    confirm = _repeated(_l("Repeat the password"))


class SignInForm(Form):
    email = _email()
    password = _password(_l("Password"))
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailForm(Form):
    email = _email(Email())


class ResetPasswordForm(Form):
    password = _password(_l("New password"))
    confirm = _repeated(_l("Repeat the new password"))


class ProfileForm(Form):
    name = _full_name()
    timezone = TimezoneField(_l("Timezone"), validators=[DataRequired()])
    locale = SelectField(
        _l("Language"),
        choices=choices(
            [("", _l("As my browser asks")), *((code, autonym(code)) for code in LANGUAGES)]
        ),
    )


class ChangePasswordForm(Form):
    current_password = _password(_l("Current password"))
    new_password = _password(_l("New password"))


class TokenForm(Form):
    name = StringField(_l("What is this token for?"), validators=[DataRequired(), Length(max=100)])


class ConfirmForm(Form):
    """A form with only its CSRF token, for buttons that change something."""
