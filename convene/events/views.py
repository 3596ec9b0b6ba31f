"""Event pages: the public list and event page, and the image; the blueprint's helpers."""

from flask import Blueprint, abort, render_template, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..caching import cached_page
from ..extensions import db
from ..i18n import select_timezone
from ..models import Event, Registration, User, utcnow
from ..pages import paginate
from ..services import events, privacy
from ..services import registration as reg
from ..services.themes import theme_tree
from ..services.validation import country_name, language_name
from .forms import (
    EventFilterForm,
)

bp = Blueprint("events", __name__, url_prefix="/events")

PER_PAGE = 20


def organised(slug: str) -> Event:
    """The event at `slug` for one of its organisers (the events' and the agenda's management
    pages): 404 for a draft they may not see, 403 (PermissionDenied) for anyone else."""
    event = events.get_event(current_user, slug)
    policy.require_manage_event(current_user, event)
    return event


@bp.route("/")
@cached_page
def index():
    form = EventFilterForm(request.args)
    form.fill_choices(str(get_locale()), theme_tree())
    values = form.values()
    filters = events.EventFilters(
        theme=values.get("theme"),
        country=values.get("country"),
        format=values.get("format"),
        when=values.get("when", "upcoming"),
        q=(values.get("q") or "")[:200] or None,
    )
    query = events.events_query(filters, current_user).options(selectinload(Event.themes))
    return render_template("events/index.html", form=form, page=paginate(query, PER_PAGE))


@bp.route("/<slug>")
@cached_page
def detail(slug: str):
    event = events.get_event(current_user, slug)
    opens = event.registration_opens_at
    return render_template(
        "events/detail.html",
        event=event,
        opens_later=opens if opens and opens > utcnow() else None,
        mine=reg.registration_of(current_user, event),
        refusal=reg.registration_open(event),
        organiser=policy.can_manage_event(current_user, event),
        public=_with_people(privacy.public_participants(event)),
    )


def _with_people(registrations: list[Registration]) -> list[Registration]:
    """Load the people of `registrations` at once rather than one query each."""
    ids = {r.user_id for r in registrations}
    if ids:
        db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return registrations


@bp.route("/<slug>/image")
def image(slug: str):
    event = events.get_event(current_user, slug)
    if not event.image_path:
        abort(404)
    return send_from_directory(
        events.upload_folder(),
        event.image_path,
        mimetype=events.image_content_type(event.image_path),
        max_age=3600,
    )


@bp.app_template_global()
def viewer_timezone() -> str:
    return select_timezone()


@bp.app_template_global()
def country_label(code: str | None) -> str:
    return country_name(code, str(get_locale())) if code else ""


@bp.context_processor
def labels():
    return {
        "country_name": country_name,
        "language_name": language_name,
    }
