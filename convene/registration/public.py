"""Delegations by a member's focal point, the public list of participants, inclusion counts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import policy
from ..extensions import db
from ..models.events import SECTOR_LABELS
from ..models.registrations import AGE_BAND_LABELS
from ..services import Conflict, InvalidInput
from ..services import registration as service
from ..services.events import get_event
from ..services.members import members_of
from ..services.privacy import Rows, inclusion_counts, public_participants
from .forms import DelegationForm, line_errors, parse_people
from .views import bp, refused


@bp.route("/events/<slug>/delegation", methods=["GET", "POST"])
@login_required
def delegation(slug: str):
    event = get_event(current_user, slug)
    if not policy.can_register_delegation(current_user):
        abort(403)
    members = members_of(current_user)
    why_closed = service.registration_open(event)
    if why_closed:
        return refused(event, why_closed, 409 if request.method == "POST" else 200)
    form = DelegationForm()
    form.fill_choices(members)
    if form.validate_on_submit():
        people, errors = parse_people(form.people.data)
        form.people.errors = errors
        if not errors:
            return _register_delegation(event, form, people)
    status = 422 if form.errors else 200
    return render_template("registration/delegation.html", event=event, form=form), status


def _register_delegation(event, form, people):
    member_id = int(form.member_id.data) if (form.member_id.data or "").isdigit() else 0
    try:
        registrations = service.register_delegation(
            current_user, event, member_id, form.sector.data or "", [p for _n, p in people]
        )
    except InvalidInput as error:
        db.session.rollback()  # all or nothing
        form.form_errors.append(error.message)
        for name, messages in line_errors(error, [n for n, _p in people]).items():
            form[name].errors = messages
        return render_template("registration/delegation.html", event=event, form=form), 422
    except Conflict as error:
        return refused(event, error.message, error.status)
    db.session.commit()
    message = ngettext(
        "%(num)d person registered, who will receive an e-mail to confirm their address.",
        "%(num)d people registered. Each of them will receive an e-mail to confirm their address.",
        len(registrations),
    )
    flash(message, "success")
    return redirect(url_for(".delegation", slug=event.slug))


@bp.route("/events/<slug>/attendees")
def attendees(slug: str):
    event = get_event(current_user, slug)
    people = public_participants(event)
    return render_template("registration/attendees.html", event=event, people=people)


@bp.route("/events/<slug>/inclusion")
def inclusion(slug: str):
    event = get_event(current_user, slug)
    rows = inclusion_rows(inclusion_counts([event]))
    return render_template(
        "registration/inclusion.html", event=event, rows=rows, labels=DIMENSION_LABELS
    )


DIMENSION_LABELS = {
    "sector": _l("Sector"),
    "gender": _l("Gender (self-described)"),
    "age_band": _l("Age"),
    "indigenous": _l("Identify as indigenous"),
    "disability": _l("Have a disability"),
}
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}
OTHER_LABEL = _l("Other or fewer than 5")


def inclusion_rows(table: dict[str, Rows]) -> dict[str, list[tuple[str, int]]]:
    """The service's rows with their labels, for the event's and the theme's pages."""
    return {
        dimension: [
            (OTHER_LABEL if value is None else _label(dimension, value), count)
            for value, count in rows
        ]
        for dimension, rows in table.items()
    }


def _label(dimension: str, value: str):
    labels = {
        "sector": {s.value: label for s, label in SECTOR_LABELS.items()},
        "age_band": {a.value: label for a, label in AGE_BAND_LABELS.items()},
        "indigenous": YES_NO_LABELS,
        "disability": YES_NO_LABELS,
    }
    return labels.get(dimension, {}).get(value, value)
