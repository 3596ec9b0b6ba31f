"""The front page and the health check."""

from flask import Blueprint, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, limiter
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
