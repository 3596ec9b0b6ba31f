"""What every API schema shares: the base of the schemas that dump model objects, what the
request's reader may see, content in several languages, and collections."""

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import marshmallow as ma
from flask import g, request

from ...services.content import LANGUAGES, Shown, shown

# Dumping model objects ------------------------------------------------------------------


class ObjectOut(ma.Schema):
    """Dumps a model object as it is: each field reads the attribute of its name (or its
    `attribute=`), except where the schema has a method `get_<field>(obj)`, whose answer
    is the value.

    Unlike `ma.fields.Method`, such a field keeps its declared type, so the OpenAPI
    document still says what the value is.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Looked up once here, not for every value: a page of events reads thousands.
        self._getters: dict[str, Callable[[Any], Any]] = {}
        for name, declared in self.fields.items():
            if hasattr(self, f"get_{name}"):
                self._getters[name] = getattr(self, f"get_{name}")
            elif declared.attribute and "." in declared.attribute:
                self._getters[declared.attribute] = attrgetter(declared.attribute)

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        getter = self._getters.get(attr)
        if getter is not None:
            return getter(obj)
        # A loaded attribute straight from the instance's dict, where SQLAlchemy's own
        # descriptor looks first, in half its time; a property, or what is not loaded
        # yet, through getattr. (Measured: without this, a page of 50 events dumped
        # slower than the hand-built dicts this schema replaced; with it, faster.)
        loaded = obj.__dict__
        return loaded[attr] if attr in loaded else getattr(obj, attr, default)


@dataclass
class Reader:
    """What an answer shows the request's reader beyond what everyone sees.

    The view works it out, through the services' and policy's rules, before it returns
    what is to be dumped; the schemas read it while they dump (marshmallow 4 has no
    `context`). It lives on flask.g, so every request starts from what everyone sees.
    """

    language: str | None  # of ours, the one Accept-Language prefers; None: the original
    links: set[int] = field(default_factory=set)  # events whose join links are shown
    warnings: dict[int, list] | None = None  # an agenda's, by session id; None: not shown


def reader() -> Reader:
    """The request's Reader, made with what everyone sees on first use."""
    found = g.get("api_reader")
    if found is None:
        wanted = request.accept_languages.best_match(LANGUAGES) if request else None
        found = g.api_reader = Reader(wanted)
    return found


# Content in several languages (events, sessions, commitments) ---------------------------

LANGUAGE_CODES = list(LANGUAGES)
TEXTS_FIELDS = ("title", "description")
TEXTS = ma.fields.Dict(
    keys=ma.fields.String(validate=ma.validate.OneOf(["title", "description"])),
    values=ma.fields.String(),
)


class TranslatedOut(ObjectOut):
    """`title` and `description` come in the language the request's Accept-Language asks
    for when translated, else in the original; `shown_languages` says which they are in."""

    language = ma.fields.String(required=True, metadata={"enum": LANGUAGE_CODES})
    translations = ma.fields.Dict(
        keys=ma.fields.String(),
        values=TEXTS,
        required=True,
        metadata={"example": {"fr": {"title": "Forum de la justice ouverte"}}},
    )
    shown_languages = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"example": {"title": "fr", "description": "en"}},
    )

    _last: tuple[Any, dict[str, Shown]] | None = None

    def _texts(self, item) -> dict[str, Shown]:
        """`item`'s texts as the reader gets them, worked out once for its three fields
        (a page of events dumps a few thousand values: each lookup saved shows)."""
        last = self._last  # one tuple, read and replaced whole: safe across threads
        if last is not None and last[0] is item:
            return last[1]
        wanted = reader().language or item.language
        texts = {name: shown(item, name, wanted) for name in TEXTS_FIELDS}
        self._last = (item, texts)
        return texts

    def get_title(self, item) -> str:
        return self._texts(item)["title"].text

    def get_description(self, item) -> str:
        return self._texts(item)["description"].text

    def get_translations(self, item) -> dict:
        return item.translations or {}

    def get_shown_languages(self, item) -> dict[str, str]:
        return {name: found.language for name, found in self._texts(item).items()}


class TranslatedIn(ma.Schema):
    language = ma.fields.String(validate=ma.validate.OneOf(LANGUAGE_CODES))
    translations = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(LANGUAGE_CODES)), values=TEXTS
    )


# Collections ----------------------------------------------------------------------------


class PageArgs(ma.Schema):
    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=100_000),
        metadata={"description": "1 for the first page"},
    )
    per_page = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(min=1, max=200),
        metadata={"description": "items per page"},
    )


def collection_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{"items": [...], "total": n, "page": p, "per_page": k}` schema around `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(
                required=True, metadata={"description": "items on all pages"}
            ),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
        },
        name=name,
    )


def slugs(items) -> list[str]:
    return [item.slug for item in items]
