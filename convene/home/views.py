"""The front page and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import health
from ..caching import cached_page
from ..extensions import db, limiter
from ..models import Event
from ..registration.public import DIMENSION_LABELS, inclusion_rows
from ..services import events, privacy, themes
from ..services.events import upcoming_events
from ..services.themes import theme_tree

bp = Blueprint("home", __name__)


@bp.route("/")
@cached_page
def index():
    return render_template("home/index.html", themes=theme_tree(), upcoming=upcoming_events(5))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Liveness: the process answers. (Whether it can serve is /readyz.)"""
    return {"status": "ok"}


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """200 when the database (and Redis and the broker, where configured) answer, else 503."""
    parts = health.readiness()
    ready = all(state == "ok" for state in parts.values())
    return {"status": "ok" if ready else "unavailable", **parts}, 200 if ready else 503


@bp.route("/themes/<slug>")
@cached_page
def theme(slug: str):
    """A theme: its leaders, sub-themes, upcoming events, calendar and inclusion counts."""
    found = themes.get_theme_by_slug(slug)
    upcoming = db.session.scalars(
        events.events_query(events.EventFilters(theme=slug, when="upcoming"), current_user)
        .options(selectinload(Event.hosts))
        .limit(20)
    ).all()
    return render_template(
        "home/theme.html",
        theme=found,
        events=upcoming,
        counts=inclusion_rows(privacy.theme_inclusion_counts(found)),
        labels=DIMENSION_LABELS,
    )
