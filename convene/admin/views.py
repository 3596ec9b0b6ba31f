"""The administration blueprint: its guard, shared helpers, the dashboard and the outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import policy
from ..extensions import db
from ..forms import apply_errors
from ..services import DomainError, InvalidInput, outbox
from .forms import STATUS_LABELS, OutboxFilterForm
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
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def filters(form) -> dict:
    """A GET form's valid, non-empty values; a value that makes no sense is ignored."""
    form.validate()
    return {field.name: field.data for field in form if field.data and not field.errors}


def refuse(form, error: InvalidInput) -> None:
    """Show a service's refusal on `form`; nothing of the attempt is kept."""
    db.session.rollback()
    apply_errors(form, error)


def done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def failed(error: DomainError, endpoint: str, **values):
    db.session.rollback()
    flash(error.message, "error")
    return redirect(url_for(endpoint, **values))


def status_of_form() -> int:
    """200 for a form shown, 422 for a form sent back with errors."""
    return 422 if request.method == "POST" else 200


@bp.route("/")
def index():
    return render_template("admin/index.html", counts=counts())


@bp.route("/outbox/")
def outbox_messages():
    form = OutboxFilterForm(formdata=request.args)
    page = page_of(outbox_query(filters(form).get("status")))
    return render_template("admin/outbox.html", form=form, page=page, labels=STATUS_LABELS)


@bp.route("/outbox/retry", methods=["POST"])
def retry_outbox():
    count = outbox.retry_failed(current_user)
    return done(
        ngettext(
            "%(num)d failed message will be tried again.",
            "%(num)d failed messages will be tried again.",
            count,
        ),
        "admin.outbox_messages",
    )
