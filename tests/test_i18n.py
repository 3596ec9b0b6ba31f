"""The French and Spanish catalogues: every string the code and templates mark is
translated, keeps its placeholders, and the compiled catalogue matches its source."""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "convene" / "translations"
LANGUAGES = ["fr", "es"]
# The same keywords and files as `python3 dev.py i18n`.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
METHODS = [
    ("convene/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]


@pytest.fixture(scope="module")
def marked() -> set[str]:
    """Every msgid marked in the code and templates, read afresh from the source."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        # Without the extensions the templates use, a template fails to parse and its
        # strings are silently left out.
        options_map={
            "templates/**.html": {"extensions": "jinja2.ext.do"},
            "templates/**.txt": {"extensions": "jinja2.ext.do"},
        },
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def test_marked_strings_are_found(marked):
    # A guard for the test itself: extraction that found nothing would pass vacuously.
    assert len(marked) > 1000 and "Sign in" in marked


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(marked, language):
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue(language) if m.id}
    missing = sorted(marked - messages.keys())
    assert not missing, f"{len(missing)} strings missing from {language}: {missing[:20]}"
    untranslated = sorted(
        key
        for key in marked
        if messages[key].fuzzy
        or not (
            messages[key].string
            if isinstance(messages[key].string, str)
            else all(messages[key].string)
        )
    )
    assert not untranslated, (
        f"{len(untranslated)} strings untranslated in {language}: {untranslated[:20]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue(language).check()
    ]
    assert not problems, problems[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language):
    expected = io.BytesIO()
    write_mo(expected, catalogue(language))
    expected.seek(0)
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = read_mo(f)
    fresh = read_mo(expected)

    def as_dict(catalog):
        # Plural entries come back as lists: hashable keys and comparable values.
        freeze = lambda v: tuple(v) if isinstance(v, list | tuple) else v  # noqa: E731
        return {freeze(m.id): freeze(m.string) for m in catalog if m.id}

    assert as_dict(compiled) == as_dict(fresh), "run `python3 dev.py i18n` to compile"
