"""The buttons on a proposal's page: submit, withdraw, answer, review, decide, waive."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..forms import apply_errors
from ..services import DomainError, InvalidInput, proposals, reviews
from .forms import CommentForm, DecisionForm, InvitationForm, ReviewForm, WaiverForm
from .views import _form, bp


def _back(proposal_id: int):
    return redirect(url_for("proposals.detail", proposal_id=proposal_id))


def _run(proposal_id: int, action, success: str):
    """Run `action(proposal)`, commit, flash; a refusal is flashed and nothing is saved."""
    proposal = proposals.get_proposal(current_user, proposal_id)
    try:
        action(proposal)
    except DomainError as error:
        db.session.rollback()
        details = [m for messages in error.fields.values() for m in messages]
        flash(" ".join([error.message, *details[:1]]), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return _back(proposal_id)


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
def submit(proposal_id: int):
    proposal = proposals.get_proposal(current_user, proposal_id)
    form = CommentForm()
    try:
        proposals.submit(current_user, proposal, form.comment.data or "")
    except InvalidInput as error:
        db.session.rollback()
        # Show what is missing on the form itself, next to each field.
        proposal = proposals.get_proposal(current_user, proposal_id)
        # Filled from the draft: the request only carried the submit button's comment.
        edit_form = _form(proposal, from_request=False)
        del edit_form.member_id
        apply_errors(edit_form, error)
        flash(error.message, "error")
        return render_template("proposals/form.html", form=edit_form, proposal=proposal), 422
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back(proposal_id)
    db.session.commit()
    flash(_("Proposal submitted. Reviewers have been told."), "success")
    return _back(proposal_id)


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
def withdraw(proposal_id: int):
    comment = CommentForm().comment.data or ""
    return _run(
        proposal_id,
        lambda p: proposals.withdraw(current_user, p, comment),
        _("Proposal withdrawn."),
    )


@bp.route("/<int:proposal_id>/invitation", methods=["POST"])
def answer_invitation(proposal_id: int):
    form = InvitationForm()
    accept = form.answer.data == "accept"
    return _run(
        proposal_id,
        lambda p: proposals.respond_to_invitation(
            current_user, p, form.member_id.data or 0, accept
        ),
        _("Thank you: you co-host this event.") if accept else _("Invitation declined."),
    )


@bp.route("/<int:proposal_id>/review", methods=["POST"])
def review(proposal_id: int):
    form = ReviewForm()
    if not form.validate():
        flash(_("Please give a recommendation and every score from 1 to 5."), "error")
        return _back(proposal_id)
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
        lambda p: reviews.save_review(current_user, p, data),
        _("Your review is saved. You can revise it until the decision."),
    )


@bp.route("/<int:proposal_id>/decision", methods=["POST"])
def decide(proposal_id: int):
    form = DecisionForm()
    return _run(
        proposal_id,
        lambda p: reviews.decide(
            current_user, p, form.decision.data or "", form.comment.data or ""
        ),
        _("Decision recorded and sent to the hosts."),
    )


@bp.route("/<int:proposal_id>/waiver", methods=["POST"])
def waive(proposal_id: int):
    reason = WaiverForm().reason.data or ""
    return _run(
        proposal_id,
        lambda p: proposals.waive_cocreation(current_user, p, reason),
        _("The co-creation rule is waived for this proposal."),
    )
