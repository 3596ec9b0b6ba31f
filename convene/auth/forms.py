from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import Form, SelectField, TimezoneField, choices, strip
from ..services.accounts import PASSWORD_MIN_LENGTH
from ..services.content import LANGUAGES, autonym


class SignUpForm(Form):
    name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip]
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("At least %(n)d characters.", n=PASSWORD_MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            Length(max=200),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )


class SignInForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=254)], filters=[strip]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip]
    )


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            Length(max=200),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )


class ProfileForm(Form):
    name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    timezone = TimezoneField(_l("Timezone"), validators=[DataRequired()])
    locale = SelectField(
        _l("Language"),
        choices=choices(
            [("", _l("As my browser asks")), *((code, autonym(code)) for code in LANGUAGES)]
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])


class TokenForm(Form):
    name = StringField(_l("What is this token for?"), validators=[DataRequired(), Length(max=100)])


class ConfirmForm(Form):
    """A form with only its CSRF token, for buttons that change something."""
