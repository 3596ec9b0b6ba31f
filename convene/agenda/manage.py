"""The organisers' agenda editor: sessions with their warnings, the session form, CSV import."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..extensions import db
from ..models import AgendaSession, Event
from ..services import InvalidInput, agenda, agenda_import, events
from ..services.agenda_import import ImportRefused
from ..services.themes import theme_tree
from ..services.times import to_local
from .forms import ImportForm, SessionForm
from .views import bp


def organised(slug: str) -> Event:
    """The event at `slug` for one of its organisers: 404 for a hidden draft, 403 for others."""
    event = events.get_event(current_user, slug)
    policy.require_manage_event(current_user, event)
    return event


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
        title=form.title.data or "",
        description=form.description.data or "",
        kind=form.kind.data or "",
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        room=form.room.data or None,
        online_url=form.online_url.data or None,
        track=form.track.data or None,
        theme_id=form.theme_id.data,
        languages=form.languages.data or [],
        interpretation=bool(form.interpretation.data),
        capacity=form.capacity.data,
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


def show_errors(form: SessionForm, error: InvalidInput) -> None:
    """The service's messages next to their fields; `speakers.2.name` is the third filled row."""
    rows = form.speaker_rows()
    form.form_errors.append(error.message)
    for name, messages in error.fields.items():
        parts = name.split(".")
        target = None
        if len(parts) == 3 and parts[0] == "speakers" and int(parts[1]) < len(rows):
            row = rows[int(parts[1])].form
            target = row.name if parts[2] == "user_id" else getattr(row, parts[2], None)
        elif len(parts) == 1 and name != "speakers":
            target = getattr(form, name, None)
        if target is None:
            form.form_errors.extend(messages)
        else:
            target.errors = [*target.errors, *messages]


def _saved(event: Event, session_id: int, message: str):
    """Commit, then say so with the warnings about this session: they never block a save."""
    db.session.commit()
    flash(message, "success")
    for warning in agenda.agenda_warnings(event):
        if session_id in warning.session_ids:
            flash(warning.message, "warning")
    return redirect(_manage_url(event, session_id))


def _form_page(event: Event, form: SessionForm, session: AgendaSession | None):
    page = render_template("agenda/session_form.html", event=event, form=form, session=session)
    return page, 422 if form.errors else 200


@bp.route("/events/<slug>/agenda/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(slug: str):
    event = organised(slug)
    form = _session_form(event)
    if form.validate_on_submit():
        try:
            session = agenda.create_session(current_user, event, _input(form))
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            return _saved(event, session.id, _("Session added."))
    return _form_page(event, form, None)


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(slug: str, session_id: int):
    event = organised(slug)
    session = agenda.get_session(event, session_id)
    form = _session_form(event, session)
    if form.validate_on_submit():
        try:
            agenda.update_session(current_user, session, _input(form))
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            return _saved(event, session_id, _("Changes saved."))
    return _form_page(event, form, session)


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(slug: str, session_id: int):
    event = organised(slug)
    agenda.cancel_session(current_user, agenda.get_session(event, session_id))
    db.session.commit()
    flash(_("The session is cancelled: it stays on the agenda, marked as cancelled."), "success")
    return redirect(_manage_url(event, session_id))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/delete", methods=["POST"])
@login_required
def delete_session(slug: str, session_id: int):
    event = organised(slug)
    session = agenda.get_session(event, session_id)
    agenda.delete_session(current_user, session)
    deleted = session in db.session.deleted
    db.session.commit()
    if deleted:
        flash(_("Session deleted."), "success")
    else:
        flash(
            _(
                "The event is public, so the session is cancelled rather than deleted: "
                "calendars that show it learn of the change."
            ),
            "success",
        )
    return redirect(_manage_url(event))


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
