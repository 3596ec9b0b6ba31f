"""A person's own data under /me/: what convene holds, the JSON download, deleting the
account; and an administrator deleting someone else's."""

import json

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from .. import policy
from ..extensions import db
from ..forms import Form
from ..models import Role
from ..models.base import label
from ..pages import attempt, form_answer
from ..services import accounts, personal_data
from .views import bp

# What the page says each part of the download holds, in the download's order.
SECTIONS = {
    "email_links": _l("Confirmation and password-reset links sent to you"),
    "api_tokens": _l("API tokens (their names and dates, never the secret)"),
    "focal_points": _l("Members you speak for"),
    "organiser_of": _l("Events you organise"),
    "registrations": _l("Registrations, with your answers, needs and inclusion data"),
    "delegations_registered": _l("People you registered as a delegation (counts only)"),
    "starred_sessions": _l("Sessions in your own agenda"),
    "speaking": _l("Sessions you speak in"),
    "proposals_created": _l("Proposals you created"),
    "cocreation_waivers": _l("Co-creation waivers you granted"),
    "cohost_responses": _l("Co-host invitations you answered"),
    "proposal_changes": _l("Changes of state you made to proposals"),
    "reviews": _l("Reviews you wrote"),
    "commitments_recorded": _l("Commitments you recorded"),
    "progress_updates": _l("Progress updates you reported"),
    "assessments": _l("Assessments you wrote"),
}


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("To make sure it is you."),
    )


@bp.app_template_test("deleted_account")
def deleted_account(user) -> bool:
    return personal_data.is_deleted(user)


def _data_page(form: DeleteAccountForm, status: int = 200):
    data = personal_data.export(current_user)
    counts = {key: len(data[key]) for key in SECTIONS}
    roles = [label(Role(role["role"])) for role in data["account"]["roles"]]
    return render_template(
        "auth/data.html",
        form=form,
        account=data["account"],
        roles=roles,
        sections=SECTIONS,
        counts=counts,
    ), status


@bp.route("/me/data")
@login_required
def my_data():
    return _data_page(DeleteAccountForm(formdata=None))


@bp.route("/me/data.json")
@login_required
def download_data():
    data = personal_data.export(current_user)
    name = f"convene-data-{data['exported_at'][:10]}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/me/delete", methods=["POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    return form_answer(
        form,
        lambda: personal_data.delete_account(current_user, current_user, form.password.data),
        lambda _result: _deleted(),
        refused_url=url_for("auth.my_data"),
    ) or _data_page(form, 422)


def _deleted():
    db.session.commit()
    logout_user()
    session.clear()  # nothing of the deleted account stays in this browser
    flash(_("Your account is deleted. Thank you for taking part."), "success")
    return redirect(url_for("home.index"))


@bp.route("/admin/people/<int:user_id>/delete", methods=["POST"])
@login_required
def delete_someone(user_id: int):
    policy.require_administer(current_user)  # before looking the person up, so ids cannot be probed
    person = accounts.get_user(user_id)
    return attempt(
        lambda: personal_data.delete_account(current_user, person),
        _("The account is deleted."),
        url_for("admin.person", user_id=user_id),
    )
