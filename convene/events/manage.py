"""The organisers' pages: the event's overview and life, its details, registration
settings, questions, organisers and image."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..extensions import db
from ..models import Sector, utcnow
from ..pages import attempt, done, form_answer, form_values, refused, show_refusal
from ..services import DomainError, InvalidInput, events
from ..services.themes import theme_tree
from ..services.times import to_local
from .forms import (
    CancelForm,
    EventForm,
    ImageForm,
    OrganiserForm,
    QuestionsForm,
    RegistrationSettingsForm,
)
from .views import bp, organised


def _manage_url(slug: str) -> str:
    return url_for("events.manage", slug=slug)


def _saved(form, save, slug: str):
    """Posted and valid, `save()` and the overview saying the message it returns; an invalid
    input shown on the form, another refusal flashed (with its detail) on the overview."""
    return form_answer(
        form,
        save,
        lambda message: done(message, _manage_url(slug)),
        refused_url=_manage_url(slug),
        detail=True,
    )


def _edit_page(slug: str, template: str, make_form, save):
    """A page of the event's settings: its form; posted, `save(event, form)` (`_saved`)."""
    event = organised(slug)
    form = make_form(event)
    return _saved(form, lambda: save(event, form), slug) or _form_page(template, event, form)


def _form_page(template: str, event, form, **context):
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, event=event, form=form, **context), status


def _overview(event, status: int = 200, **forms):
    forms.setdefault("organiser_form", OrganiserForm(formdata=None))
    forms.setdefault("cancel_form", CancelForm(formdata=None))
    forms.setdefault("image_form", ImageForm(formdata=None))
    ended = event.ends_at <= utcnow()
    return render_template("events/manage.html", event=event, ended=ended, **forms), status


@bp.route("/<slug>/manage")
@login_required
def manage(slug: str):
    return _overview(organised(slug))


# Details -------------------------------------------------------------------------------


def _event_form(event) -> EventForm:
    if request.method == "POST":
        form = EventForm()
    else:
        form = EventForm(obj=event, formdata=None)
        form.themes.data = [t.id for t in event.themes]
        form.format.data = event.format.value
        form.starts_at.data = to_local(event.starts_at, event.timezone)
        form.ends_at.data = to_local(event.ends_at, event.timezone)
        form.load_translations(event)
    form.fill_choices(str(get_locale()), theme_tree())
    return form


def _event_input(form: EventForm) -> events.EventInput:
    return events.EventInput(
        **form_values(form, "starts_at", "ends_at", "venue", "address", "city"),
        **form_values(form, "online_url", "contact_email"),
        **form_values(form, "title", "description", "timezone", blank=""),
        **form_values(form, "format", "country", blank=None),
        **form_values(form, "languages", blank=[]),
        theme_ids=form.themes.data or [],
        language=form.language.data or "en",
        translations=form.translations(),
    )


def _save_details(event, form: EventForm) -> str:
    events.update_event(current_user, event, _event_input(form))
    return _("The event's details are saved.")


@bp.route("/<slug>/manage/details", methods=["GET", "POST"])
@login_required
def edit_details(slug: str):
    return _edit_page(slug, "events/details.html", _event_form, _save_details)


# Registration settings -----------------------------------------------------------------


def _settings_form(event) -> RegistrationSettingsForm:
    if request.method == "POST":
        return RegistrationSettingsForm()
    quotas = {f"quota_{q.sector.value}": q.seats for q in event.quotas}
    return RegistrationSettingsForm(
        formdata=None,
        data={
            "opens_at": to_local(event.registration_opens_at, event.timezone),
            "closes_at": to_local(event.registration_closes_at, event.timezone),
            "capacity": event.capacity,
            "waitlist_enabled": event.waitlist_enabled,
            "manual_approval": event.manual_approval,
            "show_participants": event.show_participants,
            **quotas,
        },
    )


def _settings(form: RegistrationSettingsForm) -> events.RegistrationSettings:
    return events.RegistrationSettings(
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        capacity=form.capacity.data,
        waitlist_enabled=form.waitlist_enabled.data,
        manual_approval=form.manual_approval.data,
        show_participants=form.show_participants.data,
        quotas={
            sector.value: getattr(form, f"quota_{sector.value}").data
            for sector in Sector
            if getattr(form, f"quota_{sector.value}").data is not None
        },
    )


@bp.route("/<slug>/manage/registration", methods=["GET", "POST"])
@login_required
def edit_registration(slug: str):
    return _edit_page(slug, "events/registration_settings.html", _settings_form, _save_settings)


def _save_settings(event, form: RegistrationSettingsForm) -> str:
    promoted = events.update_registration_settings(current_user, event, _settings(form))
    message = _("Registration settings saved.")
    if promoted:
        message += " " + _(
            "%(num)d people were given a seat from the waiting list.", num=len(promoted)
        )
    return message


# Questions -----------------------------------------------------------------------------


def _questions_form(event) -> QuestionsForm:
    if request.method == "POST":
        return QuestionsForm()
    form = QuestionsForm(formdata=None)
    for question in event.questions:
        form.questions.append_entry(
            {
                "question_id": str(question.id),
                "kind": question.kind.value,
                "text": question.label,
                "options": "\n".join(question.options or []),
                "required": question.required,
            }
        )
    form.questions.append_entry({"kind": "short_text"})
    return form


def _question_inputs(form: QuestionsForm) -> list[tuple[int, events.QuestionInput]]:
    """(row, question) for every row kept: removed rows and the empty new row are left out."""
    kept = []
    for row, entry in enumerate(form.questions):
        q = entry.form
        if q.remove.data or not (q.question_id.data or q.text.data or q.options.data):
            continue
        raw_id = (q.question_id.data or "").strip()
        question_id = (int(raw_id) if raw_id.isdigit() else -1) if raw_id else None
        data = events.QuestionInput(
            kind=q.kind.data or "",
            label=q.text.data or "",
            options=(q.options.data or "").splitlines(),
            required=bool(q.required.data),
            id=question_id,
        )
        kept.append((row, data))
    return kept


def _show_row_errors(kept: list[tuple[int, events.QuestionInput]], row_errors: dict):
    """A `show` for form_answer: the service numbers the questions kept, the page its rows."""

    def show(form: QuestionsForm, error: InvalidInput) -> None:
        for name, messages in error.fields.items():
            position = int(name.rpartition(".")[2])
            row_errors[kept[position][0]] = messages
        form.form_errors.append(error.message)

    return show


@bp.route("/<slug>/manage/questions", methods=["GET", "POST"])
@login_required
def edit_questions(slug: str):
    event = organised(slug)
    form = _questions_form(event)
    kept, row_errors = _question_inputs(form), {}
    return form_answer(
        form,
        lambda: events.save_questions(current_user, event, [data for _row, data in kept]),
        lambda _result: done(_("Questions saved."), url_for("events.edit_questions", slug=slug)),
        show=_show_row_errors(kept, row_errors),
    ) or _form_page("events/questions.html", event, form, row_errors=row_errors)


# Organisers ----------------------------------------------------------------------------


@bp.route("/<slug>/manage/organisers", methods=["POST"])
@login_required
def add_organiser(slug: str):
    event = organised(slug)
    form = OrganiserForm()
    return form_answer(
        form,
        lambda: events.add_organiser(current_user, event, form.email.data),
        lambda organiser: done(
            _("%(name)s now organises this event.", name=organiser.user.name), _manage_url(slug)
        ),
        shown=DomainError,
    ) or _overview(event, 422, organiser_form=form)


@bp.route("/<slug>/manage/organisers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_organiser(slug: str, user_id: int):
    event = organised(slug)
    try:
        events.remove_organiser(current_user, event, user_id)
    except DomainError as error:
        return refused(error, _manage_url(slug), detail=True)
    db.session.commit()
    flash(_("The organiser was removed."), "success")
    if not policy.can_manage_event(current_user, event):  # they removed themselves
        return redirect(url_for("events.detail", slug=slug))
    return redirect(_manage_url(slug))


# Image ---------------------------------------------------------------------------------


@bp.route("/<slug>/manage/image", methods=["POST"])
@login_required
def upload_image(slug: str):
    event = organised(slug)
    form = ImageForm()
    upload = form.image.data if form.validate() else None
    if not upload:
        form.image.errors = [*form.image.errors, _("Choose an image file.")]
        return _overview(event, 422, image_form=form)
    try:
        previous = events.store_event_image(
            current_user, event, upload.stream.read(events.MAX_IMAGE_BYTES + 1)
        )
    except InvalidInput as error:
        show_refusal(form, error)
        return _overview(event, 422, image_form=form)
    db.session.commit()
    events.delete_image_file(previous)  # only once the new one is kept
    flash(_("The image is saved."), "success")
    return redirect(_manage_url(slug))


# The event's life ----------------------------------------------------------------------


def _change_life(slug: str, change, success: str):
    """`change(current_user, event)` as a button does: a refusal flashed with its detail."""
    event = organised(slug)
    return attempt(lambda: change(current_user, event), success, _manage_url(slug), detail=True)


@bp.route("/<slug>/manage/publish", methods=["POST"])
@login_required
def publish(slug: str):
    return _change_life(slug, events.publish, _("The event is published."))


@bp.route("/<slug>/manage/cancel", methods=["POST"])
@login_required
def cancel(slug: str):
    event = organised(slug)
    form = CancelForm()
    return _saved(form, lambda: _cancel(event, form), slug) or _overview(
        event, 422, cancel_form=form
    )


def _cancel(event, form: CancelForm) -> str:
    events.cancel_event(current_user, event, form.message.data or "")
    return _("The event is cancelled; everyone registered is told.")


@bp.route("/<slug>/manage/complete", methods=["POST"])
@login_required
def complete(slug: str):
    return _change_life(slug, events.complete, _("The event is marked as completed."))
