"""The organisers' agenda editor: sessions with their warnings, the session form, CSV import."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..events.views import organised
from ..extensions import db
from ..models import AgendaSession, Event
from ..pages import done, form_answer, form_values
from ..services import agenda, agenda_import
from ..services.agenda_import import ImportRefused
from ..services.themes import theme_tree
from ..services.times import to_local
from .forms import ImportForm, SessionForm
from .views import bp


def _manage_url(event: Event, session_id: int | None = None) -> str:
    anchor = f"session-{session_id}" if session_id else None
    return url_for(".manage", slug=event.slug, _anchor=anchor)


@bp.route("/events/<slug>/agenda/manage")
@login_required
def manage(slug: str):
    event = organised(slug)
    sessions = agenda.sessions_of(event)
    warnings = agenda.agenda_warnings(event, sessions)
    return render_template(
        "agenda/manage.html",
        event=event,
        sessions=sessions,
        warnings=warnings,
        by_session=agenda.warnings_by_session(warnings),
    )


def _session_data(event: Event, session: AgendaSession) -> dict:
    return {
        "title": session.title,
        "description": session.description,
        "kind": session.kind.value,
        "starts_at": to_local(session.starts_at, event.timezone),
        "ends_at": to_local(session.ends_at, event.timezone),
        "room": session.room,
        "online_url": session.online_url,
        "track": session.track,
        "theme_id": session.theme_id,
        "languages": list(session.languages or []),
        "interpretation": session.interpretation,
        "capacity": session.capacity,
        "speakers": [
            {
                "user_id": s.user_id,
                "name": s.name,
                "affiliation": s.affiliation or "",
                "sector": s.sector.value if s.sector else "",
                "gender": s.gender or "",
            }
            for s in session.speakers
        ],
    }


def _session_form(event: Event, session: AgendaSession | None = None) -> SessionForm:
    """The form as posted, else filled from `session`, with blank speaker rows to fill."""
    if request.method == "POST":
        form = SessionForm()
    else:
        data = _session_data(event, session) if session else None
        form = SessionForm(formdata=None, data=data)
        if session is not None:
            form.load_translations(session)
        form.add_blank_rows()
    form.fill_choices(str(get_locale()), theme_tree(), event.timezone)
    return form


def _input(form: SessionForm) -> agenda.SessionInput:
    return agenda.SessionInput(
        **form_values(form, "starts_at", "ends_at", "theme_id", "capacity"),
        **form_values(form, "title", "description", "kind", blank=""),
        **form_values(form, "room", "online_url", "track", blank=None),
        **form_values(form, "languages", blank=[]),
        interpretation=bool(form.interpretation.data),
        language=form.language.data or "en",
        translations=form.translations(),
        speakers=[
            agenda.SpeakerInput(
                name=row.form.name.data or "",
                affiliation=row.form.affiliation.data or None,
                sector=row.form.sector.data or None,
                gender=row.form.gender.data or None,
                user_id=row.form.user_id.data,
            )
            for row in form.speaker_rows()
        ],
    )


def _saved(event: Event, session_id: int, message: str):
    """Commit, then say so with the warnings about this session: they never block a save."""
    db.session.commit()
    flash(message, "success")
    for warning in agenda.agenda_warnings(event):
        if session_id in warning.session_ids:
            flash(warning.message, "warning")
    return redirect(_manage_url(event, session_id))


def _session_page(event: Event, session: AgendaSession | None, save, message: str):
    """The session form; posted, `save(input)` and the editor, or the form with its errors."""
    form = _session_form(event, session)
    return form_answer(
        form,
        lambda: save(_input(form)),
        lambda saved: _saved(event, saved.id, message),
    ) or (
        render_template("agenda/session_form.html", event=event, form=form, session=session),
        422 if form.errors else 200,
    )


@bp.route("/events/<slug>/agenda/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(slug: str):
    event = organised(slug)
    return _session_page(
        event,
        None,
        lambda data: agenda.create_session(current_user, event, data),
        _("Session added."),
    )


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(slug: str, session_id: int):
    event = organised(slug)
    session = agenda.get_session(event, session_id)
    return _session_page(
        event,
        session,
        lambda data: agenda.update_session(current_user, session, data),
        _("Changes saved."),
    )


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(slug: str, session_id: int):
    event = organised(slug)
    agenda.cancel_session(current_user, agenda.get_session(event, session_id))
    return done(
        _("The session is cancelled: it stays on the agenda, marked as cancelled."),
        _manage_url(event, session_id),
    )


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/delete", methods=["POST"])
@login_required
def delete_session(slug: str, session_id: int):
    event = organised(slug)
    session = agenda.get_session(event, session_id)
    agenda.delete_session(current_user, session)
    if session in db.session.deleted:
        message = _("Session deleted.")
    else:
        message = _(
            "The event is public, so the session is cancelled rather than deleted: "
            "calendars that show it learn of the change."
        )
    return done(message, _manage_url(event))


def _imported(event: Event, count: int):
    db.session.commit()
    flash(ngettext("%(num)d session imported.", "%(num)d sessions imported.", count), "success")
    if warnings := agenda.agenda_warnings(event):
        flash(_("The agenda has warnings: see them below (%(num)d).", num=len(warnings)), "warning")
    return redirect(_manage_url(event))


@bp.route("/events/<slug>/agenda/import", methods=["GET", "POST"])
@login_required
def import_sessions(slug: str):
    event = organised(slug)
    form, refusal, problems = ImportForm(), None, []
    if form.validate_on_submit():
        try:
            sessions = agenda_import.import_sessions(current_user, event, form.file.data.read())
        except ImportRefused as error:
            db.session.rollback()
            refusal, problems = error.message, error.rows
        else:
            return _imported(event, len(sessions))
    page = render_template(
        "agenda/import.html",
        event=event,
        form=form,
        refusal=refusal,
        problems=problems,
    )
    return page, 422 if form.errors or refusal else 200
