"""Forms of the administration area. They parse input; the services judge it."""

from functools import cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SearchField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..forms import Form, QueryForm, SelectField, choices, enum_choices, strip
from ..models.members import MEMBER_KIND_LABELS
from ..models.outbox import MESSAGE_STATUS_LABELS
from ..services.validation import country_codes, country_name

# Imported from here by members.py and views.py until they read them from convene.models.


@cache
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    named = ((code, country_name(code, locale)) for code in country_codes())
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


def countries() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, by name in the viewer's language."""
    return _countries(str(get_locale() or "en"))


def _optional_int(value):
    return None if value in (None, "") else int(value)


class MemberFilterForm(QueryForm):
    q = SearchField(_l("Name contains"), validators=[Optional(), Length(max=200)], filters=[strip])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_choices(MEMBER_KIND_LABELS, ("", _l("Any kind")))
        self.country.choices = choices([("", _l("Any country")), *countries()])


class MemberForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    # The service judges kind and country, so an odd value gets its message, not WTForms'.
    kind = SelectField(_l("Kind"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=500),
            Regexp(r"^https?://\S+$", message=_l("Give an address starting with https://.")),
        ],
        filters=[strip],
    )
    slug = StringField(
        _l("Short name"),
        validators=[Optional(), Length(max=64)],
        filters=[strip],
        description=_l("Used in addresses; made from the name when left empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_choices(MEMBER_KIND_LABELS)
        self.country.choices = choices([("", _l("Choose a country")), *countries()])


class FocalPointForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=254)], filters=[strip]
    )
    name = StringField(
        _l("Name (to invite someone new)"),
        validators=[Optional(), Length(max=200)],
        filters=[strip],
        description=_l("Someone without an account gets one and an e-mail to choose a password."),
    )


class PeopleSearchForm(QueryForm):
    q = SearchField(
        _l("Name or e-mail address contains"),
        validators=[Optional(), Length(max=254)],
        filters=[strip],
    )


class ThemeForm(Form):
    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(), Length(max=64)],
        filters=[strip],
        description=_l("Used in addresses, like open-justice."),
    )
    name_en = StringField(
        _l("Name in English"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    name_fr = StringField(
        _l("Name in French"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    name_es = StringField(
        _l("Name in Spanish"), validators=[DataRequired(), Length(max=200)], filters=[strip]
    )
    parent_id = SelectField(_l("Part of"), coerce=_optional_int, validate_choice=False)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    position = IntegerField(
        _l("Position"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=9999)],
        description=_l("Themes with a lower number come first among their siblings."),
    )

    def __init__(self, tree, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.parent_id.choices = choices(
            [("", _l("Nothing: a main theme"))]
            + [(str(theme.id), "\u2003" * depth + theme.name(locale)) for theme, depth in tree]
        )


class LeaderForm(Form):
    # Any member may be sent: the service answers for one that does not exist.
    member_id = SelectField(
        _l("Member"),
        coerce=_optional_int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a member."))],
    )

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_id.choices = choices(
            [("", _l("Choose a member"))] + [(str(m.id), m.name) for m in members]
        )


class OutboxFilterForm(QueryForm):
    status = SelectField(_l("Status"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = enum_choices(MESSAGE_STATUS_LABELS, ("", _l("Any status")))
