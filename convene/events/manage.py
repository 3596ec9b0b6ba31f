"""The organisers' pages: the event's overview and life, its details, registration
settings, questions, organisers and image."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..extensions import db
from ..forms import apply_errors
from ..models import Sector, utcnow
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


def _to_manage(slug: str):
    return redirect(url_for("events.manage", slug=slug))


def _refused(error: DomainError, slug: str):
    """A refusal flashed (with its first detail); nothing of the attempt is kept."""
    db.session.rollback()
    details = [m for messages in error.fields.values() for m in messages]
    flash(" ".join([error.message, *details[:1]]), "error")
    return _to_manage(slug)


def _done(message: str, slug: str):
    db.session.commit()
    flash(message, "success")
    return _to_manage(slug)


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
        title=form.title.data or "",
        description=form.description.data or "",
        theme_ids=form.themes.data or [],
        format=form.format.data or None,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        timezone=form.timezone.data or "",
        venue=form.venue.data,
        address=form.address.data,
        city=form.city.data,
        country=form.country.data or None,
        online_url=form.online_url.data,
        contact_email=form.contact_email.data,
        languages=form.languages.data or [],
        language=form.language.data or "en",
        translations=form.translations(),
    )


@bp.route("/<slug>/manage/details", methods=["GET", "POST"])
@login_required
def edit_details(slug: str):
    event = organised(slug)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            events.update_event(current_user, event, _event_input(form))
        except InvalidInput as error:
            db.session.rollback()
            apply_errors(form, error)
        except DomainError as error:
            return _refused(error, slug)
        else:
            return _done(_("The event's details are saved."), slug)
    return render_template("events/details.html", event=event, form=form), (
        422 if form.errors or form.form_errors else 200
    )


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


def _quota_errors(error: InvalidInput) -> InvalidInput:
    """The service names a sector's quota `quotas.<sector>`; the form `quota_<sector>`."""
    fields = {
        name.replace("quotas.", "quota_"): messages for name, messages in error.fields.items()
    }
    return InvalidInput(error.message, fields)


@bp.route("/<slug>/manage/registration", methods=["GET", "POST"])
@login_required
def edit_registration(slug: str):
    event = organised(slug)
    form = _settings_form(event)
    if form.validate_on_submit():
        try:
            promoted = events.update_registration_settings(current_user, event, _settings(form))
        except InvalidInput as error:
            db.session.rollback()
            apply_errors(form, _quota_errors(error))
        except DomainError as error:
            return _refused(error, slug)
        else:
            message = _("Registration settings saved.")
            if promoted:
                message += " " + _(
                    "%(num)d people were given a seat from the waiting list.", num=len(promoted)
                )
            return _done(message, slug)
    return render_template("events/registration_settings.html", event=event, form=form), (
        422 if form.errors or form.form_errors else 200
    )


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


@bp.route("/<slug>/manage/questions", methods=["GET", "POST"])
@login_required
def edit_questions(slug: str):
    event = organised(slug)
    form = _questions_form(event)
    row_errors: dict[int, list[str]] = {}
    if form.validate_on_submit():
        kept = _question_inputs(form)
        try:
            events.save_questions(current_user, event, [data for _row, data in kept])
        except InvalidInput as error:
            db.session.rollback()
            for name, messages in error.fields.items():
                position = int(name.rpartition(".")[2])
                row_errors[kept[position][0]] = messages
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Questions saved."), "success")
            return redirect(url_for("events.edit_questions", slug=slug))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "events/questions.html", event=event, form=form, row_errors=row_errors
    ), status


# Organisers ----------------------------------------------------------------------------


@bp.route("/<slug>/manage/organisers", methods=["POST"])
@login_required
def add_organiser(slug: str):
    event = organised(slug)
    form = OrganiserForm()
    if form.validate():
        try:
            organiser = events.add_organiser(current_user, event, form.email.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            return _done(_("%(name)s now organises this event.", name=organiser.user.name), slug)
    return _overview(event, 422, organiser_form=form)


@bp.route("/<slug>/manage/organisers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_organiser(slug: str, user_id: int):
    event = organised(slug)
    try:
        events.remove_organiser(current_user, event, user_id)
    except DomainError as error:
        return _refused(error, slug)
    db.session.commit()
    flash(_("The organiser was removed."), "success")
    if not policy.can_manage_event(current_user, event):  # they removed themselves
        return redirect(url_for("events.detail", slug=slug))
    return _to_manage(slug)


# The event's life ----------------------------------------------------------------------


@bp.route("/<slug>/manage/publish", methods=["POST"])
@login_required
def publish(slug: str):
    event = organised(slug)
    try:
        events.publish(current_user, event)
    except DomainError as error:
        return _refused(error, slug)
    return _done(_("The event is published."), slug)


@bp.route("/<slug>/manage/cancel", methods=["POST"])
@login_required
def cancel(slug: str):
    event = organised(slug)
    form = CancelForm()
    if form.validate():
        try:
            events.cancel_event(current_user, event, form.message.data or "")
        except InvalidInput as error:
            db.session.rollback()
            apply_errors(form, error)
        except DomainError as error:
            return _refused(error, slug)
        else:
            return _done(_("The event is cancelled; everyone registered is told."), slug)
    return _overview(event, 422, cancel_form=form)


@bp.route("/<slug>/manage/complete", methods=["POST"])
@login_required
def complete(slug: str):
    event = organised(slug)
    try:
        events.complete(current_user, event)
    except DomainError as error:
        return _refused(error, slug)
    return _done(_("The event is marked as completed."), slug)


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
        db.session.rollback()
        apply_errors(form, error)
        return _overview(event, 422, image_form=form)
    db.session.commit()
    events.delete_image_file(previous)
    flash(_("The image is saved."), "success")
    return _to_manage(slug)
