"""The public pages of the leadership programme: the current leaderships by theme with the
open calls, one leadership, one call (read-only; the services do the reading)."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..caching import cached_page
from ..services.leaders import calls
from ..services.leaders.leaderships import current_leaderships, get_leadership

bp = Blueprint("leaders", __name__, url_prefix="/leaders")


@bp.route("/")
@cached_page
def index():
    """The current leaderships, grouped by theme, and the calls taking applications."""
    return render_template(
        "leaders/index.html", leaderships=current_leaderships(), calls=calls.open_calls()
    )


@bp.route("/<slug>")
@cached_page
def leadership(slug: str):
    """One leadership, current or ended: who, its term, its status (404 if unknown)."""
    return render_template("leaders/leadership.html", leadership=get_leadership(slug))


@bp.route("/calls/<int:call_id>")
@cached_page
def call(call_id: int):
    """One call with its weighted criteria; a draft only for administrators (else 404)."""
    found = calls.get_call(current_user, call_id)
    return render_template(
        "leaders/call.html", call=found, accepting=calls.accepts_applications(found)
    )
