"""Proposal pages under /proposals/."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..services import proposals

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    proposal = proposals.get_proposal(current_user, proposal_id)
    return render_template("proposals/detail.html", proposal=proposal)
