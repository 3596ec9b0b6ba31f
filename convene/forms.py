"""Form helpers shared by every area."""

from functools import lru_cache

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectChoice, StringField, TextAreaField
from wtforms.fields.choices import Choice
from wtforms.validators import Length, Optional

from .caching import OptionsOnceSelect
from .services import InvalidInput
from .services.content import LANGUAGES, LIMITS, language_name
from .services.validation import nonexistent, timezone_names


def max_length(field) -> int | None:
    """The most characters a text field takes (its Length validator), or None."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


def _too_long(field) -> int | None:
    """The field's limit when its value is longer, else None."""
    if not isinstance(field, StringField) or not isinstance(field.data, str):
        return None
    limit = max_length(field)
    return limit if limit is not None and len(field.data) > limit else None


def _text_fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _text_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _text_fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


class Limits:
    """Mixed into every form: a text longer than its field's Length is refused with "At
    most N characters." and shown back cut to N characters, never whole (a 5 MB title
    came back in a 5 MB page)."""

    class Meta:
        def render_field(self, field, render_kw):
            limit = _too_long(field)
            if limit is None:
                return super().render_field(field, render_kw)
            whole = field.data
            field.data = whole[:limit]
            try:
                return super().render_field(field, render_kw)
            finally:
                field.data = whole  # what was sent stays as it was for the view

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _text_fields(self):
            if (limit := _too_long(field)) is not None:
                # The one message that matters: others (not an e-mail address…) follow.
                field.errors = [str(_l("At most %(n)d characters.", n=limit))]
                valid = False
        return valid


class Form(Limits, FlaskForm):
    """A convene form: Flask-WTF's (CSRF) with the length limits, and where a service's
    messages about what was sent go (apply_errors)."""

    # A long form (a registration's questions, a session's speakers) says above it that
    # something is wrong, with the messages no field takes: the field may be far down.
    errors_above = False

    def field_for(self, name: str):
        """The field that shows the service's messages about `name`, or None:
        `translations.fr.title` is title_fr, `translations.fr` the language, and
        `milestones.2` (the third line) the milestones field."""
        if name.startswith("translations."):
            parts = name.split(".")
            name = f"{parts[2]}_{parts[1]}" if len(parts) == 3 else "language"
        return self._fields.get(name) or self._fields.get(name.split(".")[0])


class QueryForm(Form):
    """A GET form (filters, search): it changes nothing, so no CSRF token in the address;
    a value that makes no sense is ignored rather than refused."""

    class Meta:
        csrf = False

    def values(self) -> dict:
        """The valid, non-empty values, by field name."""
        self.validate()
        return {field.name: field.data for field in self if field.data and not field.errors}


class SubForm(Limits, wtforms.Form):
    """A row inside a Form (a FormField), which carries the CSRF token for it."""


def apply_errors(form: Form, error: InvalidInput) -> None:
    """Show a service's refusal on `form`: each message on the field `form.field_for` names;
    the service's message above the form when no field took one (always, with the
    messages of no field, on a form that has `errors_above`)."""
    if form.errors_above:
        form.form_errors.append(error.message)
    placed = False
    for name, messages in error.fields.items():
        field = form.field_for(name)
        if field is not None:
            field.errors = [*field.errors, *messages]
            placed = True
        elif form.errors_above:
            form.form_errors.extend(messages)
    if not placed and not form.errors_above:
        form.form_errors.append(error.message)


class SelectField(wtforms.SelectField):
    widget = OptionsOnceSelect()


class _SaysWhatDoesNotExist:
    """A date field that says a well-written date or time does not exist (2026-02-30,
    24:61), where WTForms would only say that it is not valid."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(nonexistent(" ".join(valuelist)) or str(error)) from None


class DateField(_SaysWhatDoesNotExist, wtforms.DateField):
    pass


class DateTimeLocalField(_SaysWhatDoesNotExist, wtforms.DateTimeLocalField):
    pass


class TimezoneField(SelectField):
    """A choice among the canonical timezones (services.validation.timezone_names).

    A name stored under an old alias is already read as its canonical name; one with no
    canonical zone (Etc/GMT+5) is shown as the chosen option rather than silently replaced
    by the first, and the service refuses it, saying why, if it is sent back."""

    def __init__(self, label=None, validators=None, blank: bool = False, **kwargs):
        kwargs.setdefault("validate_choice", False)  # the service says what is wrong
        super().__init__(label, validators, choices=_timezone_choices(blank), **kwargs)

    def iter_choices(self):
        found = super().iter_choices()
        # Never more than a name's length of whatever was sent (nothing is echoed whole).
        unlisted = self.data and len(self.data) <= 64
        if unlisted and not any(choice.selected for choice in found):
            return [Choice(self.data, self.data, True, {}), *found]
        return found


@lru_cache(maxsize=2)
def _timezone_choices(blank: bool) -> tuple[SelectChoice, ...]:
    names = [SelectChoice(name) for name in sorted(timezone_names())]
    return tuple([SelectChoice("", "—"), *names] if blank else names)


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(table: dict, first: tuple | None = None) -> list[SelectChoice]:
    """Options for a SelectField from an enum's labels (a `*_LABELS` table of the models),
    after `first`, such as ("", "Any"), when given."""
    pairs = [(member.value, label) for member, label in table.items()]
    return choices([first, *pairs] if first else pairs)


def theme_choices(themes, locale: str, first: tuple | None = None, key: str = "id"):
    """Options for a theme field from (theme, depth) pairs, the theme's `key` as the value,
    after `first` when given: sub-themes under their parent, indented by spaces that show
    and that screen readers don't read out (as they would a dash)."""
    pairs = [(getattr(t, key), "\u00a0" * 4 * depth + t.name(locale)) for t, depth in themes]
    return choices([first, *pairs] if first else pairs)


def strip(value):
    """A field filter: people paste addresses and names with stray spaces."""
    return value.strip() if isinstance(value, str) else value


def short_text(label, limit: int, **kwargs) -> StringField:
    """A line of text, stripped, of at most `limit` characters."""
    return StringField(label, validators=[Length(max=limit)], filters=[strip], **kwargs)


def long_text(label, limit: int, **kwargs) -> TextAreaField:
    """A text box, stripped, of at most `limit` characters."""
    return TextAreaField(label, validators=[Length(max=limit)], filters=[strip], **kwargs)


# What a datetime-local field sends: "2031-03-29T09:00".
LOCAL_TIME = "%Y-%m-%dT%H:%M"


def local_time(label, format=LOCAL_TIME, **kwargs) -> DateTimeLocalField:
    """A date and time, optional, in the event's timezone as the browser sends it."""
    return DateTimeLocalField(label, format=format, validators=[Optional()], **kwargs)


class TranslationsMixin:
    """The language a title and description are written in, and their translations.
    Mixed into an event's, a session's or a commitment's form (templates: _forms.html's
    `translations` macro)."""

    language = SelectField(
        _l("Written in"),
        validate_choice=False,
        description=_l("The language of the title and description above."),
    )
    title_en = short_text(_l("Title in English"), LIMITS["title"])
    description_en = long_text(_l("Description in English"), LIMITS["description"])
    title_fr = short_text(_l("Title in French"), LIMITS["title"])
    description_fr = long_text(_l("Description in French"), LIMITS["description"])
    title_es = short_text(_l("Title in Spanish"), LIMITS["title"])
    description_es = long_text(_l("Description in Spanish"), LIMITS["description"])

    def fill_languages(self, locale: str) -> None:
        self.language.choices = choices((code, language_name(code, locale)) for code in LANGUAGES)

    def load_translations(self, item) -> None:
        self.language.data = item.language or "en"
        for code, texts in (item.translations or {}).items():
            for field in ("title", "description"):
                if (target := getattr(self, f"{field}_{code}", None)) is not None:
                    target.data = texts.get(field, "")

    def translations(self) -> dict:
        """{code: {field: text}} for the languages other than the original."""
        original = self.language.data or "en"
        return {
            code: {
                field: getattr(self, f"{field}_{code}").data or ""
                for field in ("title", "description")
            }
            for code in LANGUAGES
            if code != original
        }
