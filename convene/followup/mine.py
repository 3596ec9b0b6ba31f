"""A focal point's commitments under /me/commitments: their members' commitments with
status marks, and progress on many at once through a CSV filled in a spreadsheet."""

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import policy
from ..downloads import csv_download
from ..extensions import db
from ..services import followup
from ..services.spreadsheets import ImportRefused
from .forms import UpdatesImportForm
from .views import bp


@bp.route("/me/commitments", methods=["GET", "POST"])
@login_required
def mine():
    form = UpdatesImportForm()
    result = _import(form.file.data.read()) if form.validate_on_submit() else None
    if isinstance(result, followup.ImportedUpdates) and not result.notes:
        return redirect(url_for(".mine"))
    return _page(form, result)


def _import(content: bytes) -> followup.ImportedUpdates | ImportRefused:
    """The reports saved, committed and counted in a flashed message; or the refusal, and
    nothing saved."""
    try:
        imported = followup.import_updates(current_user, content)
    except ImportRefused as error:
        db.session.rollback()
        return error
    db.session.commit()
    count = len(imported.updates)
    flash(
        ngettext("%(num)d progress report imported.", "%(num)d progress reports imported.", count),
        "success",
    )
    return imported


def _page(form: UpdatesImportForm, result: followup.ImportedUpdates | ImportRefused | None):
    refused = isinstance(result, ImportRefused)
    page = render_template(
        "followup/mine.html",
        commitments=followup.commitments_for(current_user),
        speaks_for=bool(policy.member_ids_of(current_user)),
        form=form,
        refusal=result.message if refused else None,
        problems=result.rows if refused else [],
        # Shown at once: the notes, one per row, would not fit in a flashed message.
        notes=result.notes if isinstance(result, followup.ImportedUpdates) else [],
    )
    return page, 422 if form.errors or refused else 200


@bp.route("/me/commitments.csv")
@login_required
@csv_download(private=True)
def mine_template():
    return "my-commitments", followup.update_template(current_user)
