"""Follow-up pages: an event's public follow-up page, where organisers record and approve
commitments, and a commitment's page, where focal points report and assessors assess."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_percent, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import pages, policy
from ..caching import cached_page
from ..extensions import db
from ..models import Commitment, Member
from ..paging import page_of
from ..services import Conflict, InvalidInput, dashboards, events, followup
from ..services.themes import theme_tree
from .charts import charts_for
from .forms import AssessmentForm, CommitmentForm, UpdateForm

bp = Blueprint("followup", __name__)
PER_PAGE = 50  # commitments in a dashboard's table; the CSV has them all
# Dashboards change with commits (shown at once) and with the day (overdue): a page built
# from thousands of commitments may stand five minutes when nothing else changed.
DASHBOARD_SECONDS = 300


def _commitment_form(event, formdata=None) -> CommitmentForm | None:
    """The add form for organisers (any member) or the hosts' focal points (their own)."""
    if policy.can_manage_event(current_user, event):
        members = db.session.scalars(select(Member).order_by(Member.name)).all()
    else:
        members = policy.hosts_spoken_for(current_user, event)
    if not members:
        return None
    form = CommitmentForm(formdata=formdata)
    form.fill_choices(str(get_locale()), members, theme_tree())
    return form


def _event_page(event, form, status=200):
    dash = dashboards.for_event(event)
    organiser = policy.can_manage_event(current_user, event)
    return render_template(
        "followup/event.html",
        event=event,
        dash=dash,
        rows=page_of(dash.commitments, PER_PAGE),
        charts=charts_for(dash),
        form=form,
        pending=followup.pending_commitments(current_user, event) if organiser else [],
        my_members=policy.member_ids_of(current_user),
    ), status


@bp.route("/events/<slug>/follow-up")
@cached_page(seconds=DASHBOARD_SECONDS)
def event(slug: str):
    found = events.get_event(current_user, slug)
    return _event_page(found, _commitment_form(found))


@bp.route("/events/<slug>/follow-up", methods=["POST"])
@login_required
def add(slug: str):
    found = events.get_event(current_user, slug)
    form = _commitment_form(found, request.form)
    if form is None:
        abort(403)
    answer = pages.form_answer(
        form,
        lambda: followup.create_commitment(current_user, found, _commitment_input(form)),
        lambda commitment: pages.done(_recorded(commitment), url_for("followup.event", slug=slug)),
    )
    return answer or _event_page(found, form, 422)


def _recorded(commitment: Commitment) -> str:
    if commitment.approved_at is None:
        return _("Commitment recorded; it awaits an organiser's approval.")
    return _("Commitment recorded.")


def _commitment_input(form: CommitmentForm) -> followup.CommitmentInput:
    return followup.CommitmentInput(
        member_id=form.member_id.data,
        title=form.title.data or "",
        description=form.description.data or "",
        theme_ids=form.themes.data or [],
        due_date=form.due_date.data,
        action_plan_ref=form.action_plan_ref.data or None,
        milestones=form.milestone_list,
        language=form.language.data or "en",
        translations=form.translations(),
    )


@bp.route("/commitments/<int:commitment_id>/approve", methods=["POST"])
@login_required
def approve(commitment_id: int):
    commitment = followup.get_commitment(current_user, commitment_id)
    followup.approve(current_user, commitment)
    return pages.done(
        _("Commitment approved."), url_for("followup.event", slug=commitment.event.slug)
    )


def _timeline(commitment: Commitment) -> list[tuple]:
    """Updates and assessments as (date, kind, entry), newest first."""
    entries = [(u.reported_on, u.created_at, "update", u) for u in commitment.updates]
    entries += [
        (a.created_at.date(), a.created_at, "assessment", a) for a in commitment.assessments
    ]
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [(day, kind, entry) for day, _at, kind, entry in entries]


def _detail(commitment, update_form=None, assessment_form=None, status=200):
    can_report = commitment.approved_at is not None and policy.can_report_progress(
        current_user, commitment
    )
    can_assess = policy.can_assess(current_user, commitment)
    return render_template(
        "followup/detail.html",
        commitment=commitment,
        timeline=_timeline(commitment),
        update_form=(update_form or UpdateForm(formdata=None)) if can_report else None,
        assessment_form=(assessment_form or AssessmentForm(formdata=None, prefix="assess"))
        if can_assess
        else None,
    ), status


@bp.route("/commitments/<int:commitment_id>")
def detail(commitment_id: int):
    return _detail(followup.get_commitment(current_user, commitment_id))


@bp.route("/commitments/<int:commitment_id>/updates", methods=["POST"])
@login_required
def report(commitment_id: int):
    commitment = followup.get_commitment(current_user, commitment_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        return _detail(commitment, update_form=form, status=422)
    url = url_for("followup.detail", commitment_id=commitment_id)
    try:
        update = followup.post_update(current_user, commitment, _update_input(form))
    except InvalidInput as error:
        pages.show_refusal(form, error)
        return _detail(commitment, update_form=form, status=422)
    except Conflict as error:  # a permission refusal goes on to the error page
        return pages.refused(error, url)
    return _reported(update, url)


def _update_input(form: UpdateForm) -> followup.UpdateInput:
    links = (form.evidence_links.data or "").splitlines()
    return followup.UpdateInput(
        form.status.data or "", form.narrative.data or "", links, form.reported_on.data
    )


def _reported(update, url: str):
    """Committed, and said: "reported", or why a back-dated report left the status as it was."""
    note = followup.history_note(update)  # before the commit, which forgets what was loaded
    if note is None:
        return pages.done(_("Progress reported."), url)
    db.session.commit()
    flash(note, "warning")
    return redirect(url)


@bp.route("/commitments/<int:commitment_id>/assessments", methods=["POST"])
@login_required
def assess(commitment_id: int):
    commitment = followup.get_commitment(current_user, commitment_id)
    form = AssessmentForm(prefix="assess")
    url = url_for("followup.detail", commitment_id=commitment_id)
    answer = pages.form_answer(
        form,
        lambda: followup.assess(
            current_user, commitment, form.status.data or "", form.justification.data
        ),
        lambda _assessment: pages.done(_("Assessment recorded."), url),
    )
    return answer or _detail(commitment, assessment_form=form, status=422)


@bp.context_processor
def labels():
    return {
        "self_reported": followup.self_reported,
        "assessed": followup.assessed,
        "differs": followup.differs,
        "overdue": followup.overdue,
        "percent": lambda share: format_percent(share),
        "month_label": lambda month: format_date(month, "MMMM yyyy"),
    }
