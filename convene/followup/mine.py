"""A focal point's commitments under /me/commitments: their members' commitments with
status marks, and progress on many at once through a CSV filled in a spreadsheet."""

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import policy
from ..downloads import csv_download
from ..extensions import db
from ..services import followup
from ..services.agenda_import import ImportRefused
from .forms import UpdatesImportForm
from .views import bp


@bp.route("/me/commitments", methods=["GET", "POST"])
@login_required
def mine():
    form, refusal, problems, notes = UpdatesImportForm(), None, [], []
    if form.validate_on_submit():
        try:
            imported = followup.import_updates(current_user, form.file.data.read())
        except ImportRefused as error:
            db.session.rollback()
            refusal, problems = error.message, error.rows
        else:
            db.session.commit()
            count = len(imported.updates)
            flash(
                ngettext(
                    "%(num)d progress report imported.", "%(num)d progress reports imported.", count
                ),
                "success",
            )
            if not imported.notes:
                return redirect(url_for(".mine"))
            # Shown at once: the notes, one per row, would not fit in a flashed message.
            notes = imported.notes
    page = render_template(
        "followup/mine.html",
        commitments=followup.commitments_for(current_user),
        speaks_for=bool(policy.member_ids_of(current_user)),
        form=form,
        refusal=refusal,
        problems=problems,
        notes=notes,
    )
    return page, 422 if form.errors or refusal else 200


@bp.route("/me/commitments.csv")
@login_required
@csv_download(private=True)
def mine_template():
    return "my-commitments", followup.update_template(current_user)
