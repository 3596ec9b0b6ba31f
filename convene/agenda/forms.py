"""Forms of the agenda pages: a session with rows of speakers, the filters, the CSV upload."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
)
from wtforms.validators import Optional

from ..forms import (
    LOCAL_TIME,
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
    theme_choices,
)
from ..models.agenda import SESSION_KIND_LABELS
from ..models.base import label
from ..models.events import SECTOR_LABELS
from ..proposals.forms import CheckboxesField
from ..services.agenda import MAX_SPEAKERS, AgendaFilters
from ..services.validation import EVENT_LANGUAGES, language_name

# Without JavaScript a form cannot grow rows: it always offers this many blank ones.
BLANK_SPEAKER_ROWS = 5
# A browser without datetime-local lets people type a space, and seconds.
LOCAL_FORMATS = [LOCAL_TIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def optional_int(value):
    """'' and None as None, digits as an int (a ValueError becomes a field error)."""
    return None if value in ("", None) else int(value)


class SpeakerForm(SubForm):
    """One speaker row; a plain Form, as the session form's CSRF token covers it."""

    # Keeps a registered person linked to their row across edits.
    user_id = HiddenField(filters=[lambda v: int(v) if str(v or "").isdigit() else None])
    name = short_text(_l("Name"), 200)
    affiliation = short_text(_l("Affiliation"), 200)
    sector = SelectField(
        _l("Sector"),
        validate_choice=False,
        choices=enum_choices(SECTOR_LABELS, ("", "—")),
    )
    gender = short_text(_l("Gender (optional)"), 100)

    def is_blank(self) -> bool:
        return not any((self.name.data, self.affiliation.data, self.sector.data, self.gender.data))


class SessionForm(TranslationsMixin, Form):
    title = short_text(_l("Title"), 200)
    description = long_text(_l("Description"), 20_000)
    kind = SelectField(
        _l("Kind"),
        validate_choice=False,
        choices=enum_choices(SESSION_KIND_LABELS),
    )
    starts_at = local_time(_l("Starts"), LOCAL_FORMATS)
    ends_at = local_time(_l("Ends"), LOCAL_FORMATS)
    room = short_text(_l("Room"), 120)
    online_url = short_text(
        _l("Online link"),
        500,
        description=_l("Shown only to confirmed participants and organisers."),
    )
    track = short_text(_l("Track"), 120)
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validate_choice=False)
    languages = CheckboxesField(_l("Languages"), validate_choice=False)
    interpretation = BooleanField(_l("Interpretation offered"))
    capacity = IntegerField(
        _l("Capacity"), validators=[Optional()], description=_l("Leave empty for no limit.")
    )
    speakers = FieldList(FormField(SpeakerForm), max_entries=MAX_SPEAKERS + BLANK_SPEAKER_ROWS)

    errors_above = True

    def field_for(self, name: str):
        """`speakers.2.name` is the name in the third filled row (as is its `user_id`);
        a plain name its field; the rest, the list of speakers as a whole included, goes
        above the form."""
        parts = name.split(".")
        rows = self.speaker_rows()
        if len(parts) == 3 and parts[0] == "speakers" and int(parts[1]) < len(rows):
            row = rows[int(parts[1])].form
            return row.name if parts[2] == "user_id" else getattr(row, parts[2], None)
        if len(parts) == 1 and name != "speakers":
            return getattr(self, name, None)
        return None

    def fill_choices(self, locale: str, themes, timezone: str) -> None:
        self.fill_languages(locale)
        self.theme_id.choices = theme_choices(themes, locale, ("", "—"))
        self.languages.choices = choices(
            (code, language_name(code, locale)) for code in EVENT_LANGUAGES
        )
        hint = str(_l("In the event's timezone, %(tz)s.", tz=timezone))
        self.starts_at.description = self.ends_at.description = hint

    def add_blank_rows(self) -> None:
        for _row in range(BLANK_SPEAKER_ROWS):
            if len(self.speakers) < self.speakers.max_entries:
                self.speakers.append_entry()

    def speaker_rows(self) -> list:
        """The rows someone filled in, in order (blank rows are ignored)."""
        return [entry for entry in self.speakers if not entry.form.is_blank()]


class FilterForm(QueryForm):
    track = SelectField(_l("Track"), validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    tz = TimezoneField(_l("Also show times in"), validators=[Optional()])

    def fill_choices(self, options, locale: str, viewer_tz: str) -> None:
        anything = ("", _l("Any"))
        self.track.choices = choices([anything, *((t, t) for t in options.tracks)])
        self.theme.choices = choices(
            [anything, *((str(t.id), t.name(locale)) for t in options.themes)]
        )
        self.language.choices = choices(
            [anything, *((c, language_name(c, locale)) for c in options.languages)]
        )
        self.kind.choices = choices([anything, *((k.value, label(k)) for k in options.kinds)])
        if self.tz is not None:
            # The zone the page shows, not an old or refused name it was asked for.
            self.tz.data = viewer_tz

    def filters(self) -> AgendaFilters:
        """The valid filters; a value that makes no sense is ignored rather than refused."""
        values = self.values()
        theme = values.get("theme")
        return AgendaFilters(
            track=values.get("track"),
            theme_id=int(theme) if theme else None,
            language=values.get("language"),
            kind=values.get("kind"),
        )


class ImportForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file to upload."))])


# Imported from here by views.py until it reads them from convene.models (issue 17).
