from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import (
    Form,
    QueryForm,
    SelectField,
    SubForm,
    TimezoneField,
    TranslationsMixin,
    choices,
    enum_choices,
    local_time,
    long_text,
    short_text,
    strip,
    theme_choices,
)
from ..models import Sector
from ..models.events import QUESTION_KIND_LABELS, SECTOR_LABELS
from ..models.proposals import FORMAT_LABELS
from ..models.registrations import REGISTRATION_STATUS_LABELS
from ..proposals.forms import CheckboxesField
from ..services.validation import (
    EVENT_LANGUAGES,
    country_codes,
    country_name,
    language_name,
)

WHEN_LABELS = {"upcoming": _l("Upcoming"), "past": _l("Past"), "all": _l("All dates")}


def _countries(locale: str, empty) -> list:
    return choices([("", empty), *_sorted_countries(locale)])


@lru_cache(maxsize=8)
def _sorted_countries(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) by name in `locale`: the same for every request in that language."""
    names = sorted((country_name(code, locale), code) for code in country_codes())
    return tuple((code, name) for name, code in names)


class EventFilterForm(QueryForm):
    q = short_text(_l("Search"), 200)
    theme = SelectField(_l("Theme"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    format = SelectField(_l("Format"), validators=[Optional()])
    when = SelectField(_l("When"), validators=[Optional()])

    def fill_choices(self, locale: str, themes):
        self.theme.choices = theme_choices(themes, locale, ("", _l("Any")), key="slug")
        self.country.choices = _countries(locale, _l("Any"))
        self.format.choices = enum_choices(FORMAT_LABELS, ("", _l("Any")))
        self.when.choices = choices(WHEN_LABELS.items())


class EventForm(TranslationsMixin, Form):
    title = short_text(_l("Title"), 200)
    description = long_text(
        _l("Description"), 20_000, description=_l("Plain text; line breaks are kept.")
    )
    themes = CheckboxesField(_l("Themes"), validate_choice=False, coerce=int)
    format = SelectField(_l("Format"), validate_choice=False)
    starts_at = local_time(_l("Starts"), description=_l("In the event's timezone."))
    ends_at = local_time(_l("Ends"), description=_l("In the event's timezone."))
    timezone = TimezoneField(_l("Timezone of the event"))
    venue = short_text(_l("Venue"), 200)
    address = long_text(_l("Address"), 1000)
    city = short_text(_l("City"), 120)
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])
    online_url = short_text(
        _l("Online link"), 500, description=_l("Shown only to confirmed participants.")
    )
    contact_email = EmailField(
        _l("Public contact e-mail"),
        validators=[Length(max=254)],
        filters=[strip],
        description=_l(
            "Shown on the event's page and named as the organiser in calendars. "
            "Leave it empty to name this site's own address."
        ),
    )
    languages = CheckboxesField(_l("Languages of the event"), validate_choice=False)

    def fill_choices(self, locale: str, themes):
        self.themes.choices = theme_choices(themes, locale)
        self.format.choices = enum_choices(FORMAT_LABELS)
        self.country.choices = _countries(locale, "—")
        self.languages.choices = choices(
            (code, language_name(code, locale)) for code in EVENT_LANGUAGES
        )
        self.fill_languages(locale)


def _seats(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=1_000_000)])


class RegistrationSettingsForm(Form):
    opens_at = local_time(
        _l("Registration opens"),
        description=_l("In the event's timezone. Empty: as soon as the event is published."),
    )
    closes_at = local_time(
        _l("Registration closes"),
        description=_l("In the event's timezone. Empty: when the event ends."),
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        description=_l("Empty: no limit."),
    )
    waitlist_enabled = BooleanField(_l("Open a waiting list when the event is full"))
    manual_approval = BooleanField(_l("Organisers approve each registration"))
    show_participants = BooleanField(
        _l("Show the participants who agree to it on the event's page")
    )
    quota_government = _seats(SECTOR_LABELS[Sector.GOVERNMENT])
    quota_civil_society = _seats(SECTOR_LABELS[Sector.CIVIL_SOCIETY])
    quota_academia = _seats(SECTOR_LABELS[Sector.ACADEMIA])
    quota_private_sector = _seats(SECTOR_LABELS[Sector.PRIVATE_SECTOR])
    quota_international_organisation = _seats(SECTOR_LABELS[Sector.INTERNATIONAL_ORGANISATION])
    quota_media = _seats(SECTOR_LABELS[Sector.MEDIA])
    quota_other = _seats(SECTOR_LABELS[Sector.OTHER])

    def quota_fields(self):
        return [getattr(self, f"quota_{sector.value}") for sector in Sector]

    def field_for(self, name: str):
        """The service names a sector's quota `quotas.<sector>`; the form `quota_<sector>`."""
        return super().field_for(name.replace("quotas.", "quota_"))


class QuestionRow(SubForm):
    """One question of the editor; a plain Form, as the page's form carries the CSRF token."""

    question_id = HiddenField(validators=[Length(max=20)])
    kind = SelectField(
        _l("Kind"),
        choices=enum_choices(QUESTION_KIND_LABELS),
        validate_choice=False,
    )
    text = short_text(_l("Question"), 300)
    options = TextAreaField(
        _l("Options"),
        # Up to 50 options of 200 characters, one per line.
        validators=[Length(max=50 * 202)],
        description=_l("For choices: one option per line."),
        filters=[strip],
    )
    required = BooleanField(_l("Required"))
    remove = BooleanField(_l("Remove this question"))


class QuestionsForm(Form):
    questions = FieldList(FormField(QuestionRow), max_entries=51)


class OrganiserForm(Form):
    email = StringField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=254)], filters=[strip]
    )


class CancelForm(Form):
    message = long_text(
        _l("Message to everyone registered"),
        5000,
        description=_l("Why the event is cancelled, and what happens next."),
    )


class ImageForm(Form):
    image = FileField(_l("Image"), description=_l("PNG, JPEG or WebP, at most 2 MB."))


class ParticipantFilterForm(QueryForm):
    q = short_text(_l("Name or e-mail"), 254)
    status = SelectField(_l("Status"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])

    def fill_choices(self):
        self.status.choices = enum_choices(REGISTRATION_STATUS_LABELS, ("", _l("Any")))
        self.sector.choices = enum_choices(SECTOR_LABELS, ("", _l("Any")))
