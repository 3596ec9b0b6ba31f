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
    DateTimeLocalField,
    Form,
    SelectField,
    SubForm,
    TimezoneField,
    TranslationsMixin,
    choices,
    enum_choices,
    indent,
    strip,
)
from ..models import Sector
from ..models.events import EVENT_STATUS_LABELS as EVENT_STATUS_LABELS  # re-exported: views.py
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
TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _countries(locale: str, empty) -> list:
    return choices([("", empty), *_sorted_countries(locale)])


@lru_cache(maxsize=8)
def _sorted_countries(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) by name in `locale`: the same for every request in that language."""
    names = sorted((country_name(code, locale), code) for code in country_codes())
    return tuple((code, name) for name, code in names)


class EventFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter form changes nothing

    q = StringField(_l("Search"), validators=[Length(max=200)], filters=[strip])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    format = SelectField(_l("Format"), validators=[Optional()])
    when = SelectField(_l("When"), validators=[Optional()])

    def fill_choices(self, locale: str, themes):
        self.theme.choices = choices(
            [("", _l("Any")), *((t.slug, indent(depth) + t.name(locale)) for t, depth in themes)]
        )
        self.country.choices = _countries(locale, _l("Any"))
        self.format.choices = enum_choices(FORMAT_LABELS, ("", _l("Any")))
        self.when.choices = choices(WHEN_LABELS.items())


class EventForm(TranslationsMixin, Form):
    title = StringField(_l("Title"), validators=[Length(max=200)], filters=[strip])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20_000)],
        filters=[strip],
        description=_l("Plain text; line breaks are kept."),
    )
    themes = CheckboxesField(_l("Themes"), validate_choice=False, coerce=int)
    format = SelectField(_l("Format"), validate_choice=False)
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=TIME_FORMAT,
        validators=[Optional()],
        description=_l("In the event's timezone."),
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=TIME_FORMAT,
        validators=[Optional()],
        description=_l("In the event's timezone."),
    )
    timezone = TimezoneField(_l("Timezone of the event"))
    venue = StringField(_l("Venue"), validators=[Length(max=200)], filters=[strip])
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)], filters=[strip])
    city = StringField(_l("City"), validators=[Length(max=120)], filters=[strip])
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])
    online_url = StringField(
        _l("Online link"),
        validators=[Length(max=500)],
        filters=[strip],
        description=_l("Shown only to confirmed participants."),
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
        self.themes.choices = choices(
            (theme.id, indent(depth) + theme.name(locale)) for theme, depth in themes
        )
        self.format.choices = enum_choices(FORMAT_LABELS)
        self.country.choices = _countries(locale, "—")
        self.languages.choices = choices(
            (code, language_name(code, locale)) for code in EVENT_LANGUAGES
        )
        self.fill_languages(locale)


def _seats(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=1_000_000)])


class RegistrationSettingsForm(Form):
    opens_at = DateTimeLocalField(
        _l("Registration opens"),
        format=TIME_FORMAT,
        validators=[Optional()],
        description=_l("In the event's timezone. Empty: as soon as the event is published."),
    )
    closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format=TIME_FORMAT,
        validators=[Optional()],
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
    text = StringField(_l("Question"), validators=[Length(max=300)], filters=[strip])
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
    message = TextAreaField(
        _l("Message to everyone registered"),
        validators=[Length(max=5000)],
        filters=[strip],
        description=_l("Why the event is cancelled, and what happens next."),
    )


class ImageForm(Form):
    image = FileField(_l("Image"), description=_l("PNG, JPEG or WebP, at most 2 MB."))


class ParticipantFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Length(max=254)], filters=[strip])
    status = SelectField(_l("Status"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])

    def fill_choices(self):
        self.status.choices = enum_choices(REGISTRATION_STATUS_LABELS, ("", _l("Any")))
        self.sector.choices = enum_choices(SECTOR_LABELS, ("", _l("Any")))
