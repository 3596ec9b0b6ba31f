"""Content in several languages: the titles and descriptions of events, sessions and
commitments are written in one language and may be translated into the others. Readers
get their own language when a translation exists, and otherwise the original, marked as
such (never an empty title)."""

from dataclasses import dataclass
from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l

from ..models.base import Translatable
from . import InvalidInput

# The languages of the site and of translated content: the one list (config, forms,
# pages, the API and the themes' names all read it).
LANGUAGES = ("en", "fr", "es")
FIELDS = ("title", "description")
LIMITS = {"title": 300, "description": 20_000}


@dataclass(frozen=True)
class Shown:
    text: str
    language: str  # the language `text` is in
    fallback: bool  # the reader asked for another language, which has no translation


def shown(item: Translatable, field: str, locale: str) -> Shown:
    """`field` of `item` in `locale` if translated, else in the language it was written in."""
    original = item.language or "en"
    if locale != original:
        text = ((item.translations or {}).get(locale) or {}).get(field)
        if text:
            return Shown(text, locale, False)
    text = getattr(item, field) or ""
    # An empty description is not a missing translation: there is nothing to translate.
    return Shown(text, original, bool(text) and locale != original)


def language_name(code: str, locale: str) -> str:
    """'English' for an English reader, 'anglais' for a French one."""
    return Locale.parse(code).get_display_name(locale) or code


@cache
def autonym(code: str) -> str:
    """A language's name in itself, capitalised as in a menu: 'Français'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def clean_translations(language: str, translations: dict | None, limits=LIMITS) -> dict:
    """The translations to store, checked: languages other than the original, known fields,
    lengths within the original's limits; empty texts dropped. Raises InvalidInput with
    fields named like `translations.fr.title`."""
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["language"] = [str(_l("Choose English, French or Spanish."))]
    cleaned: dict[str, dict[str, str]] = {}
    for code, texts in (translations or {}).items():
        if code not in LANGUAGES or code == language:
            errors[f"translations.{code}"] = [
                str(_l("Translations are into the other two languages: en, fr or es."))
            ]
            continue
        if not isinstance(texts, dict):
            errors[f"translations.{code}"] = [str(_l("Give the texts by field."))]
            continue
        for field, text in texts.items():
            if field not in limits:
                errors[f"translations.{code}.{field}"] = [str(_l("Unknown field."))]
                continue
            text = (text or "").strip() if isinstance(text, str) else None
            if text is None or len(text) > limits[field]:
                errors[f"translations.{code}.{field}"] = [
                    str(_l("At most %(n)d characters.", n=limits[field]))
                ]
            elif text:
                cleaned.setdefault(code, {})[field] = text
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    return cleaned
