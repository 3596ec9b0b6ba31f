"""Agenda pages: the public agenda, the organisers' editor and import, one's own agenda."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..auth.views import safe_next
from ..caching import cached_page
from ..extensions import db
from ..services import agenda, events
from ..services.validation import language_name
from .forms import FilterForm
from .times import day_label, refused_timezone, span, viewer_timezone

bp = Blueprint("agenda", __name__)


@bp.route("/events/<slug>/agenda")
@cached_page
def public(slug: str):
    event = events.get_event(current_user, slug)
    sessions = agenda.sessions_of(event)
    form = FilterForm(request.args)
    if current_user.is_authenticated:
        del form.tz  # signed-in people see their own timezone, set in their profile
    form.fill_choices(agenda.filter_options(sessions), str(get_locale()), viewer_timezone())
    filters = form.filters()
    shown = agenda.filter_sessions(sessions, filters)
    return render_template(
        "agenda/public.html",
        event=event,
        form=form,
        days=agenda.sessions_by_day(shown, event.timezone),
        total=len(sessions),
        shown=len(shown),
        filtered=filters != agenda.AgendaFilters(),
        starred=agenda.starred_ids(current_user, event),
        show_links=policy.can_see_online_link(current_user, event),
        organiser=policy.can_manage_event(current_user, event),
    )


def _star(slug: str, session_id: int, change, message: str):
    event = events.get_event(current_user, slug)
    change(current_user, agenda.get_session(event, session_id))
    db.session.commit()
    flash(message, "success")
    default = url_for(".public", slug=slug, _anchor=f"session-{session_id}")
    return redirect(safe_next(default))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/star", methods=["POST"])
@login_required
def star(slug: str, session_id: int):
    return _star(slug, session_id, agenda.star, _("The session is in your agenda."))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/unstar", methods=["POST"])
@login_required
def unstar(slug: str, session_id: int):
    return _star(slug, session_id, agenda.unstar, _("The session is no longer in your agenda."))


@bp.route("/me/agenda")
@login_required
def mine():
    items = agenda.personal_agenda(current_user)
    return render_template(
        "agenda/mine.html", items=items, overlapping=sum(1 for item in items if item.overlaps)
    )


def optional_url(endpoint: str, **values) -> str | None:
    """A link to another area's page, or None while that area does not offer it."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.context_processor
def agenda_helpers():
    return {
        "agenda_span": span,
        "agenda_day": day_label,
        "agenda_viewer_tz": viewer_timezone,
        "agenda_refused_tz": refused_timezone,
        "agenda_link": optional_url,
        "language_names": lambda codes: ", ".join(
            language_name(code, str(get_locale())) for code in codes
        ),
    }
