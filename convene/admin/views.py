"""Administration pages under /admin/ (placeholder until the admin area is built)."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.route("/")
def index():
    return render_template("admin/index.html")
