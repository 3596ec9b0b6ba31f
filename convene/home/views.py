"""The front page and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from ..extensions import db, limiter
from ..models import Event
from ..services import events, privacy, themes
from ..services.events import upcoming_events
from ..services.themes import theme_tree

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    return render_template("home/index.html", themes=theme_tree(), upcoming=upcoming_events(5))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/themes/<slug>")
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
        counts=privacy.theme_inclusion_counts(found),
    )
