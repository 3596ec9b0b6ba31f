"""The organisers' participant list: filters, counts, decisions, check-in and CSV export."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import csv_download
from ..pages import attempt
from ..services import participants
from ..services import registration as reg
from .forms import ParticipantFilterForm
from .views import bp, organised

FILTERS = ("status", "sector", "q")


def _filters() -> tuple[ParticipantFilterForm, participants.ParticipantFilters]:
    form = ParticipantFilterForm(request.args)
    form.fill_choices()
    values = form.values()
    return form, participants.ParticipantFilters(**{k: values.get(k) for k in FILTERS})


@bp.route("/<slug>/participants")
@login_required
def participant_list(slug: str):
    event = organised(slug)
    form, filters = _filters()
    return render_template(
        "events/participants.html",
        event=event,
        form=form,
        rows=participants.participants(current_user, event, filters),
        counts=participants.counts(current_user, event),
        kept_args={k: v for k, v in request.args.items() if k in FILTERS and v},
    )


@bp.route("/<slug>/participants.csv")
@login_required
@csv_download(private=True)
def participant_csv(slug: str):
    event = organised(slug)
    _form, filters = _filters()
    return f"{event.slug}-participants", participants.export_csv(current_user, event, filters)


def _actions():
    return {
        "approve": (lambda r: reg.approve(current_user, r), _("Registration approved.")),
        "decline": (lambda r: reg.decline(current_user, r), _("Registration declined.")),
        "promote": (
            lambda r: reg.move_from_waitlist(current_user, r),
            _("Moved from the waiting list: the seat is theirs."),
        ),
        "cancel": (
            lambda r: reg.cancel_by_organiser(current_user, r),
            _("Registration cancelled."),
        ),
        "check-in": (
            lambda r: reg.set_check_in(current_user, r, request.form.get("mode") or ""),
            _("Checked in."),
        ),
        "undo-check-in": (
            lambda r: reg.set_check_in(current_user, r, None),
            _("Check-in undone."),
        ),
    }


@bp.route("/<slug>/participants/<int:registration_id>/<action>", methods=["POST"])
@login_required
def participant_action(slug: str, registration_id: int, action: str):
    event = organised(slug)
    registration = participants.get_participant(current_user, event, registration_id)
    run, success = _actions().get(action, (None, None))
    if run is None:
        abort(404)
    kept = {k: v for k, v in request.args.items() if k in FILTERS and v}
    url = url_for("events.participant_list", slug=slug, **kept)
    return attempt(lambda: run(registration), success, url)
