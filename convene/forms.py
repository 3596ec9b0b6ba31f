"""Form helpers shared by every area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from .services import InvalidInput
from .services.content import LANGUAGES, language_name


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Show a service's field errors on the form's fields (or above the form)."""
    placed = False
    for name, messages in error.fields.items():
        if name.startswith("translations."):  # translations.fr.title is the title_fr field
            parts = name.split(".")
            name = f"{parts[2]}_{parts[1]}" if len(parts) == 3 else "language"
        # "milestones.2" is the third line of the milestones field.
        field = getattr(form, name, None) or getattr(form, name.split(".")[0], None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def indent(depth: int) -> str:
    """Sub-themes under their parent: spaces that show, and that screen readers don't read
    out (as they would a dash)."""
    return "\u00a0" * 4 * depth


def strip(value):
    """A field filter: people paste addresses and names with stray spaces."""
    return value.strip() if isinstance(value, str) else value


def _text(label):
    return StringField(label, filters=[strip])


def _long(label):
    return TextAreaField(label, filters=[strip])


class TranslationsMixin:
    """The language a title and description are written in, and their translations.
    Mixed into an event's, a session's or a commitment's form (templates: _forms.html's
    `translations` macro)."""

    language = SelectField(
        _l("Written in"),
        validate_choice=False,
        description=_l("The language of the title and description above."),
    )
    title_en = _text(_l("Title in English"))
    description_en = _long(_l("Description in English"))
    title_fr = _text(_l("Title in French"))
    description_fr = _long(_l("Description in French"))
    title_es = _text(_l("Title in Spanish"))
    description_es = _long(_l("Description in Spanish"))

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
