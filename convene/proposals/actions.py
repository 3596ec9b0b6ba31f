"""The buttons on a proposal's page: submit, withdraw, answer, review, decide, waive."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..forms import apply_errors
from ..pages import attempt, done, refused
from ..services import DomainError, InvalidInput, proposals, reviews
from .forms import CommentForm, DecisionForm, InvitationForm, ReviewForm, WaiverForm
from .views import _form, bp


def _back(proposal_id: int) -> str:
    return url_for("proposals.detail", proposal_id=proposal_id)


def _run(proposal_id: int, action, success: str, *args):
    """`action(current_user, proposal, *args)` as a button does: back to the proposal,
    saying it is done, or why not (with the refusal's detail) and nothing saved."""
    proposal = proposals.get_proposal(current_user, proposal_id)
    return attempt(
        lambda: action(current_user, proposal, *args), success, _back(proposal_id), detail=True
    )


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
def submit(proposal_id: int):
    proposal = proposals.get_proposal(current_user, proposal_id)
    form = CommentForm()
    try:
        proposals.submit(current_user, proposal, form.comment.data or "")
    except InvalidInput as error:
        db.session.rollback()
        return _missing(proposal_id, error)
    except DomainError as error:
        return refused(error, _back(proposal_id))
    return done(_("Proposal submitted. Reviewers have been told."), _back(proposal_id))


def _missing(proposal_id: int, error: InvalidInput):
    """What keeps a draft from being submitted, on the proposal form next to each field."""
    proposal = proposals.get_proposal(current_user, proposal_id)
    # Filled from the draft: the request only carried the submit button's comment.
    edit_form = _form(proposal, from_request=False)
    del edit_form.member_id
    apply_errors(edit_form, error)
    flash(error.message, "error")
    return render_template("proposals/form.html", form=edit_form, proposal=proposal), 422


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
def withdraw(proposal_id: int):
    comment = CommentForm().comment.data or ""
    return _run(proposal_id, proposals.withdraw, _("Proposal withdrawn."), comment)


@bp.route("/<int:proposal_id>/invitation", methods=["POST"])
def answer_invitation(proposal_id: int):
    form = InvitationForm()
    accept = form.answer.data == "accept"
    return _run(
        proposal_id,
        proposals.respond_to_invitation,
        _("Thank you: you co-host this event.") if accept else _("Invitation declined."),
        form.member_id.data or 0,
        accept,
    )


@bp.route("/<int:proposal_id>/review", methods=["POST"])
def review(proposal_id: int):
    form = ReviewForm()
    if not form.validate():
        flash(_("Please give a recommendation and every score from 1 to 5."), "error")
        return redirect(_back(proposal_id))
    data = reviews.ReviewInput(
        form.recommendation.data,
        form.relevance.data,
        form.ambition.data,
        form.co_creation.data,
        form.feasibility.data,
        form.comment.data or "",
    )
    return _run(
        proposal_id,
        reviews.save_review,
        _("Your review is saved. You can revise it until the decision."),
        data,
    )


@bp.route("/<int:proposal_id>/decision", methods=["POST"])
def decide(proposal_id: int):
    form = DecisionForm()
    return _run(
        proposal_id,
        reviews.decide,
        _("Decision recorded and sent to the hosts."),
        form.decision.data or "",
        form.comment.data or "",
    )


@bp.route("/<int:proposal_id>/waiver", methods=["POST"])
def waive(proposal_id: int):
    reason = WaiverForm().reason.data or ""
    return _run(
        proposal_id,
        proposals.waive_cocreation,
        _("The co-creation rule is waived for this proposal."),
        reason,
    )
