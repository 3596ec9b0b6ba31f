"""Language and timezone of the person being served, and the filters that use them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .models import CommitmentStatus, RegistrationStatus, Role, Sector, SessionKind
from .models.base import label
from .services import content


def select_locale() -> str:
    languages = content.LANGUAGES
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    if not has_request_context():
        return "UTC"
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return "UTC"


def localtime(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """A UTC timestamp in `tz` (the viewer's by default), with the zone always shown."""
    if value is None:
        return ""
    zone = ZoneInfo(tz or select_timezone())
    local = value.astimezone(zone)
    return f"{format_datetime(local, fmt, rebase=False)} {local.tzname()}"


def localized_text(item, field: str = "title") -> str:
    """An event's, session's or commitment's text in the reader's language, as plain text."""
    return content.shown(item, field, str(get_locale())).text


def localized(item, field: str = "title") -> Markup:
    """The same, for a page: an untranslated text keeps its own `lang` (screen readers then
    pronounce it right) and says which language it is in."""
    locale = str(get_locale())
    found = content.shown(item, field, locale)
    if not found.fallback:
        return Markup("{}").format(found.text)
    note = _("(in %(language)s)", language=content.language_name(found.language, locale))
    return Markup('<span lang="{}">{}</span> <small class="original-language">{}</small>').format(
        found.language, found.text, note
    )


def init_app(app: Flask) -> None:
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["localized_text"] = localized_text
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.globals["LANGUAGES"] = content.LANGUAGES
    app.jinja_env.globals["autonym"] = content.autonym
    app.jinja_env.globals["get_locale"] = get_locale
    # An enum's label: `{{ registration.status|label }}`. The enums whose every member a
    # page lists (a table's columns, the values a CSV column takes) are globals too.
    app.jinja_env.filters["label"] = label
    for kind in (CommitmentStatus, RegistrationStatus, Role, Sector, SessionKind):
        app.jinja_env.globals[kind.__name__] = kind
