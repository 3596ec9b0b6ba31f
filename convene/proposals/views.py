"""Proposal pages under /proposals/: mine, new and edit, detail with its actions, the queue."""

from datetime import date, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..models import Member
from ..pages import done, form_answer, form_values
from ..services import proposals, reviews
from ..services.members import members_of
from ..services.themes import theme_tree
from ..services.times import in_zone, to_local
from ..services.validation import country_name, language_name
from .forms import (
    CommentForm,
    DecisionForm,
    InvitationForm,
    ProposalForm,
    QueueForm,
    ReviewForm,
    WaiverForm,
)

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.before_request
@login_required
def signed_in_only():
    """Every proposal page needs an account."""


def _form(proposal=None, from_request: bool | None = None) -> ProposalForm:
    """The proposal form, filled from the request when posted, else from `proposal`."""
    if from_request is None:
        from_request = request.method == "POST"
    if proposal is not None and not from_request:
        form = ProposalForm(obj=proposal, formdata=None)
        form.themes.data = [t.id for t in proposal.themes]
        form.cohosts.data = [h.member_id for h in proposal.hosts if not h.is_lead]
        form.objectives.data = proposal.objectives.value if proposal.objectives else ""
        form.format.data = proposal.format.value if proposal.format else ""
        form.starts_at.data = to_local(proposal.starts_at, proposal.timezone)
        form.ends_at.data = to_local(proposal.ends_at, proposal.timezone)
    else:
        form = ProposalForm(formdata=None if not from_request else request.form)
        if not from_request:
            form.timezone.data = current_user.timezone
    all_members = db.session.scalars(select(Member).order_by(Member.name)).all()
    form.fill_choices(str(get_locale()), members_of(current_user), all_members, theme_tree())
    return form


def _input(form: ProposalForm) -> proposals.ProposalInput:
    return proposals.ProposalInput(
        **form_values(form, "starts_at", "ends_at", "expected_size"),
        **form_values(form, "title", "summary", "audience", blank=""),
        **form_values(form, "objectives", "format", "timezone", "city", "country", blank=None),
        **form_values(form, "languages", blank=[]),
        theme_ids=form.themes.data or [],
        cohost_ids=form.cohosts.data or [],
    )


def _form_page(form: ProposalForm, proposal):
    """The proposal form (again), 422 when it shows errors."""
    page = render_template("proposals/form.html", form=form, proposal=proposal)
    return page, 422 if form.errors else 200


@bp.route("/")
def index():
    return render_template(
        "proposals/index.html",
        members=members_of(current_user),
        proposals=proposals.proposals_of_my_members(current_user),
        can_review=policy.can_see_review_queue(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not policy.can_propose(current_user):
        flash(_("Only focal points of a member can propose events."), "error")
        return redirect(url_for("proposals.index"))
    form = _form()
    return form_answer(
        form,
        lambda: proposals.create_proposal(current_user, form.member_id.data, _input(form)),
        lambda proposal: done(
            _("Draft saved. Submit it when it is complete."),
            url_for("proposals.detail", proposal_id=proposal.id),
        ),
    ) or _form_page(form, None)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id: int):
    proposal = proposals.get_proposal(current_user, proposal_id)
    form = _form(proposal)
    del form.member_id
    back = url_for("proposals.detail", proposal_id=proposal_id)
    return form_answer(
        form,
        lambda: proposals.update_proposal(current_user, proposal, _input(form)),
        lambda _result: done(_("Changes saved."), back),
        refused_url=back,
    ) or _form_page(form, proposal)


@bp.route("/<int:proposal_id>")
def detail(proposal_id: int):
    proposal = proposals.get_proposal(current_user, proposal_id)
    my_members = policy.member_ids_of(current_user)
    my_review = reviews.current_review(current_user, proposal)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        is_proposer=policy.can_edit_proposal(current_user, proposal),
        invitations=[h for h in proposal.hosts if h.member_id in my_members and not h.is_lead],
        problems=proposals.submission_problems(proposal) if proposal.is_open else {},
        rounds=reviews.by_round(reviews.visible_reviews(current_user, proposal)),
        review_refusal=policy.review_refusal(current_user, proposal),
        decision_refusal=policy.decision_refusal(current_user, proposal),
        review_form=ReviewForm(obj=my_review, formdata=None),
        my_review=my_review,
        decision_form=DecisionForm(formdata=None),
        comment_form=CommentForm(formdata=None),
        waiver_form=WaiverForm(formdata=None),
        invitation_form=InvitationForm(formdata=None),
    )


@bp.route("/review")
def queue():
    form = QueueForm(request.args)
    form.fill_choices(str(get_locale()), theme_tree())
    filters = reviews.QueueFilters()
    if form.validate():
        filters = reviews.QueueFilters(
            **form_values(form, "status", "region", "format", blank=None),
            theme_id=int(form.theme.data) if form.theme.data else None,
            starts_after=_day_start(form.starts_after.data),
            starts_before=_day_start(form.starts_before.data),
        )
    rows = reviews.review_queue(current_user, filters)
    return render_template("proposals/queue.html", form=form, rows=rows)


def _day_start(day: date | None) -> datetime | None:
    """When `day` begins where the reviewer lives (their profile's timezone)."""
    return in_zone(datetime.combine(day, time(0)), current_user.timezone) if day else None


@bp.context_processor
def labels():
    return {
        "country_name": country_name,
        "language_name": language_name,
    }
