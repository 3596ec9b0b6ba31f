"""The administration blueprint: its guard, shared helpers, the dashboard and the outbox."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import policy
from ..pages import done, paginate
from ..services import outbox
from .forms import OutboxFilterForm
from .overview import counts, outbox_query

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 25


@bp.before_request
@login_required
def require_admin():
    if not policy.can_administer(current_user):
        abort(403)


def page_of(query):
    """The page of `query` the `page` argument asks for (the first if it makes no sense)."""
    return paginate(query, PER_PAGE)


def status_of_form() -> int:
    """200 for a form shown, 422 for a form sent back with errors."""
    return 422 if request.method == "POST" else 200


@bp.route("/")
def index():
    return render_template("admin/index.html", counts=counts())


@bp.route("/outbox/")
def outbox_messages():
    form = OutboxFilterForm(formdata=request.args)
    page = page_of(outbox_query(form.values().get("status")))
    return render_template("admin/outbox.html", form=form, page=page)


@bp.route("/outbox/retry", methods=["POST"])
def retry_outbox():
    count = outbox.retry_failed(current_user)
    return done(
        ngettext(
            "%(num)d failed message will be tried again.",
            "%(num)d failed messages will be tried again.",
            count,
        ),
        url_for("admin.outbox_messages"),
    )
