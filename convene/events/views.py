"""Event pages: the public list and event page, and the organisers' management pages."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..services import events

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.route("/<slug>")
def detail(slug: str):
    event = events.get_event(current_user, slug)
    return render_template("events/detail.html", event=event)


@bp.route("/<slug>/manage")
def manage(slug: str):
    event = events.get_event(current_user, slug)
    return render_template("events/detail.html", event=event)
