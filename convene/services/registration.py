"""Registration: seats never oversold, a waiting list that promotes by itself.

Every change that moves a seat or a place in the queue first locks the event's row
(`_lock`), so on PostgreSQL concurrent registrations for one event take turns, and on
SQLite the request already holds the write lock. The database checks the result too:
`seats_taken <= capacity` and a sector's `taken <= seats` are constraints.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy import inspect as sa_inspect

from .. import policy
from ..extensions import db
from ..models import (
    AgeBand,
    AttendanceMode,
    Awaiting,
    Event,
    EventQuestion,
    EventStatus,
    Member,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Sector,
    SectorQuota,
    User,
    utcnow,
)
from ..models.registrations import new_nonce
from ..policy import Actor
from ..urls import external_url
from . import Conflict, InvalidInput, NotFound, audit, mail
from .accounts import create_user, find_user_by_email
from .security import sign, signed
from .validation import clean_email

MAX_ANSWER, MAX_TEXT = 5000, 2000
CONFIRMATION_HOURS = 48


class RegistrationClosed(Conflict):
    code = "registration_closed"


class EventFull(Conflict):
    code = "event_full"


@dataclass
class RegistrationInput:
    name: str = ""
    email: str = ""
    sector: str = ""
    member_id: int | None = None
    organisation: str = ""
    accessibility_needs: str = ""
    answers: dict = field(default_factory=dict)  # question id (int or str) → answer
    show_in_public_list: bool = False
    inclusion_consent: bool = False
    gender: str = ""
    age_band: str | None = None
    indigenous: bool | None = None
    disability: bool | None = None


# Finding registrations --------------------------------------------------------------


def get_registration(actor: Actor | None, registration_id: int) -> Registration:
    """The registration, for its owner or the event's organisers; NotFound for anyone else."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not policy.can_see_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    return registration


def manage_token(registration: Registration) -> str:
    """The secret in the links that confirm or cancel a registration without signing in."""
    return sign(_manage_message(registration))


def _manage_message(registration: Registration) -> str:
    return f"registration:{registration.id}:{registration.manage_nonce}"


def registration_by_token(registration_id: int, token: str) -> Registration:
    """The registration a link in an e-mail points at; NotFound for a forged link.

    A link signed with a key now in SECRET_KEY_FALLBACKS still works after a rotation."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not signed(_manage_message(registration), token):
        raise NotFound(str(_l("This link is not valid.")))
    return registration


def registration_of(user: User, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )


# Checking input --------------------------------------------------------------------


def registration_open(event: Event) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    now = utcnow()
    if event.status is not EventStatus.PUBLISHED:
        return str(_l("This event is not open for registration."))
    if event.registration_opens_at and now < event.registration_opens_at:
        return str(_l("Registration has not opened yet."))
    closes = event.registration_closes_at or event.ends_at
    if now >= closes:
        return str(_l("Registration is closed."))
    return None


def _ticked(value) -> bool:
    return bool(value) and value not in ("false", "0", "off")


def _chosen(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else ([value] if value else []))]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _unanswered(question: EventQuestion, value) -> str | None:
    """Why a required question's `value` is no answer, or None when it is one."""
    if question.kind is QuestionKind.CHECKBOX:
        return None if _ticked(value) else str(_l("Please tick this box."))
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        return None if _chosen(value) else str(_l("Choose at least one option."))
    return None if _text(value) else str(_l("This answer is required."))


def missing_answers(event: Event, answers: dict | None) -> dict[str, list[str]]:
    """A field error ("answers.<id>") for each required question of `event` that `answers`
    leaves unanswered: the one rule every way of registering goes through."""
    given = {str(key): value for key, value in (answers or {}).items()}
    errors = {}
    for question in event.questions:
        why = _unanswered(question, given.get(str(question.id))) if question.required else None
        if why:
            errors[f"answers.{question.id}"] = [why]
    return errors


def _clean_answers(
    event: Event, answers: dict, required: bool = True
) -> tuple[dict, dict[str, list[str]]]:
    cleaned: dict[str, object] = {}
    # A wrong answer says what is wrong with it rather than that it is missing.
    errors: dict[str, list[str]] = missing_answers(event, answers) if required else {}
    given = {str(key): value for key, value in (answers or {}).items()}
    known = {str(q.id) for q in event.questions}
    for key in set(given) - known:
        errors[f"answers.{key}"] = [str(_l("There is no such question."))]
    for question in event.questions:
        key, value = str(question.id), given.get(str(question.id))
        name = f"answers.{key}"
        if question.kind is QuestionKind.CHECKBOX:
            cleaned[key] = _ticked(value)
            continue
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            values = _chosen(value)
            if any(v not in question.options for v in values):
                errors[name] = [str(_l("Choose among the options given."))]
            cleaned[key] = values
            continue
        text = _text(value)
        limit = MAX_ANSWER if question.kind is QuestionKind.LONG_TEXT else 300
        if question.kind is QuestionKind.SINGLE_CHOICE and text and text not in question.options:
            errors[name] = [str(_l("Choose among the options given."))]
        elif len(text) > limit:
            errors[name] = [str(_l("Keep this under %(n)d characters.", n=limit))]
        cleaned[key] = text
    return cleaned, errors


def require_answers(registration: Registration) -> None:
    """InvalidInput naming each required question the registration leaves unanswered."""
    errors = missing_answers(registration.event, registration.answers)
    if errors:
        message = str(_l("Please answer the organisers' required questions."))
        raise InvalidInput(message, errors)


def _clean(
    event: Event, data: RegistrationInput, need_identity: bool, answers_required: bool = True
) -> dict:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    if need_identity:
        name = (data.name or "").strip()
        if not name or len(name) > 200:
            errors["name"] = [str(_l("Enter your name (at most 200 characters)."))]
        try:
            values["email"] = clean_email(data.email)
        except InvalidInput as error:
            errors.update(error.fields)
        values["name"] = name
    try:
        values["sector"] = Sector(data.sector)
    except ValueError:
        errors["sector"] = [str(_l("Choose your sector."))]
    for name, limit in (("organisation", 200), ("accessibility_needs", MAX_TEXT), ("gender", 100)):
        text = (getattr(data, name) or "").strip()
        if len(text) > limit:
            errors[name] = [str(_l("Keep this under %(n)d characters.", n=limit))]
        values[name] = text or None
    if data.age_band:
        try:
            values["age_band"] = AgeBand(data.age_band)
        except ValueError:
            errors["age_band"] = [str(_l("Choose an age band from the list."))]
    if data.member_id is not None and db.session.get(Member, data.member_id) is None:
        errors["member_id"] = [str(_l("No such member."))]
    values["answers"], answer_errors = _clean_answers(event, data.answers, answers_required)
    errors.update(answer_errors)
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    consent = bool(data.inclusion_consent)
    values.update(
        member_id=data.member_id,
        show_in_public_list=bool(data.show_in_public_list),
        inclusion_consent=consent,
        # Inclusion data is kept only with consent, and only ever shown in aggregate.
        gender=values["gender"] if consent else None,
        age_band=values.get("age_band") if consent else None,
        indigenous=data.indigenous if consent else None,
        disability=data.disability if consent else None,
    )
    return values


def _fill(registration: Registration, values: dict) -> None:
    for name in (
        "sector",
        "member_id",
        "organisation",
        "accessibility_needs",
        "answers",
        "show_in_public_list",
        "inclusion_consent",
        "gender",
        "age_band",
        "indigenous",
        "disability",
    ):
        setattr(registration, name, values.get(name))


# Registering -----------------------------------------------------------------------


def register(
    event: Event,
    data: RegistrationInput,
    actor: Actor | None = None,
    registered_by: User | None = None,
    locale: str | None = None,
) -> tuple[Registration, bool]:
    """Register a person; returns the registration and whether it is new.

    `locale` is the language of a new account (and so of its e-mails).

    A signed-in person with a confirmed address registers themself and gets a seat, a
    place on the waiting list, or (with manual approval) a pending request at once. Anyone
    else gives a name and address, gets an account if they have none, and confirms the
    address from an e-mail first. Registering again returns the existing registration.
    """
    refusal = registration_open(event)
    if refusal:
        raise RegistrationClosed(refusal)
    self_service = policy.is_signed_in(actor) and registered_by is None
    # A delegation cannot know its people's answers: each person gives them when confirming
    # their address, and stays pending until then (confirm_email).
    values = _clean(
        event, data, need_identity=not self_service, answers_required=registered_by is None
    )
    if self_service:
        person = actor
    else:
        person = find_user_by_email(values["email"]) or create_user(
            values["email"], values["name"], locale=locale
        )
    # What the e-mail and its calendar attachment read is loaded before the lock: while the
    # event's row is locked, every other registration for it waits.
    _preload(event)
    # Lock the event before writing anything: inserting a registration takes a key-share
    # lock on the event's row, and two of those both waiting for the row lock deadlock.
    event = _lock(event)
    existing = registration_of(person, event)
    if existing is not None and existing.is_active:
        return existing, False
    if existing is not None and existing.status is RegistrationStatus.DECLINED:
        raise Conflict(str(_l("The organisers declined this registration; contact them.")))
    registration = existing or Registration(event_id=event.id, user_id=person.id, sequence=0)
    registration.event, registration.user = event, person
    registration.registered_by_id = registered_by.id if registered_by else None
    registration.manage_nonce = new_nonce()  # links sent for an earlier registration die
    registration.cancelled_at = None
    _fill(registration, values)
    if existing is None:
        db.session.add(registration)
    if self_service and person.email_confirmed:
        _set(registration, RegistrationStatus.PENDING, Awaiting.EMAIL)  # until placed below
        # Placed before anything is written: one INSERT with the seat or place in line.
        with db.session.no_autoflush:
            _place(registration, locked=True)
    else:
        _set(registration, RegistrationStatus.PENDING, Awaiting.EMAIL)
        hours = current_app.config.get("REGISTRATION_CONFIRMATION_HOURS", CONFIRMATION_HOURS)
        registration.expires_at = utcnow() + timedelta(hours=hours)
        db.session.flush()
        mail_registrant(registration, "registration_confirm_email", hours=hours)
    return registration, True


def register_or_remind(
    event: Event,
    data: RegistrationInput,
    actor: Actor | None = None,
    locale: str | None = None,
) -> tuple[Registration, bool]:
    """register(), for the pages and the API. Someone who may not see the registration
    (policy.can_see_registration: a visitor who typed an address) is never told whether
    it existed: an existing one is e-mailed again to its owner, and the caller answers them
    the same way whatever `new` is."""
    registration, new = register(event, data, actor=actor, locale=locale)
    if not new and not policy.can_see_registration(actor, registration):
        remind(registration)
    return registration, new


def confirm_email(registration_id: int, token: str, answers: dict | None = None) -> Registration:
    """The link in the confirmation e-mail: confirms the address and places the person.

    `answers`, when given, replace the registration's: someone registered by a delegation
    answers the required questions here, and nobody is placed without them (InvalidInput).
    """
    registration = registration_by_token(registration_id, token)
    if not registration.is_active:
        raise InvalidInput(
            str(_l("This registration has expired or was cancelled. Please register again."))
        )
    if registration.awaiting is not Awaiting.EMAIL:
        return registration  # already done: following the link twice is harmless
    if registration.expires_at and registration.expires_at <= utcnow():
        raise InvalidInput(str(_l("This confirmation link has expired. Please register again.")))
    if answers is not None:
        cleaned, errors = _clean_answers(registration.event, answers)
        if errors:
            raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
        registration.answers = cleaned
    require_answers(registration)
    user = registration.user
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    refusal = registration_open(registration.event)
    if refusal:
        raise RegistrationClosed(refusal)
    _place(registration)
    return registration


def _place(registration: Registration, locked: bool = False) -> None:
    """After the address is known: wait for approval, or take a seat or a place in line;
    never without every required answer (InvalidInput)."""
    require_answers(registration)
    event = registration.event
    registration.expires_at = None
    if event.manual_approval:
        _set(registration, RegistrationStatus.PENDING, Awaiting.APPROVAL)
        db.session.flush()
        mail_registrant(registration, "registration_pending_approval")
        return
    _allocate(registration, locked)


def _set(registration: Registration, status: RegistrationStatus, awaiting=None) -> None:
    registration.status = status
    registration.awaiting = awaiting
    if status is not RegistrationStatus.WAITLISTED:
        registration.waitlist_position = None


def _lock(event: Event) -> Event:
    """Lock the event's row until commit and reread its columns (its counters above all).

    Relationships already loaded stay loaded, but for the sector quotas, whose counters
    change under this lock too: they are read again."""
    db.session.refresh(event, attribute_names=EVENT_COLUMNS, with_for_update=True)
    if "quotas" not in sa_inspect(event).unloaded and event.quotas:
        db.session.scalars(
            select(SectorQuota)
            .where(SectorQuota.event_id == event.id)
            .execution_options(populate_existing=True)
        ).all()
    return event


EVENT_COLUMNS = [column.key for column in sa_inspect(Event).column_attrs]


def _preload(event: Event) -> None:
    """Load what placing someone reads (quotas) and what their e-mail shows (hosts, themes),
    so that none of it is fetched while the event is locked."""
    for name in ("quotas", "hosts", "themes"):
        getattr(event, name)


def _quota(event: Event, sector: Sector) -> SectorQuota | None:
    return next((q for q in event.quotas if q.sector is sector), None)


def _seat_free(event: Event, sector: Sector) -> bool:
    quota = _quota(event, sector)
    if quota is not None and quota.taken >= quota.seats:
        return False
    return event.capacity is None or event.seats_taken < event.capacity


def _take_seat(event: Event, registration: Registration) -> None:
    event.seats_taken += 1
    quota = _quota(event, registration.sector)
    if quota is not None:
        quota.taken += 1
    _set(registration, RegistrationStatus.CONFIRMED)
    registration.confirmed_at = utcnow()
    registration.sequence += 1


def _free_seat(event: Event, registration: Registration) -> None:
    event.seats_taken -= 1
    quota = _quota(event, registration.sector)
    if quota is not None:
        quota.taken -= 1


def _allocate(registration: Registration, locked: bool = False) -> None:
    """A seat if one is free, else a place at the end of the waiting list, else EventFull.
    `locked`: the caller holds the event's lock already."""
    event = registration.event if locked else _lock(registration.event)
    if _seat_free(event, registration.sector):
        _take_seat(event, registration)
        db.session.flush()
        mail_registrant(registration, "registration_confirmed")
        return
    if not event.waitlist_enabled:
        raise EventFull(str(_l("This event is full.")))
    last = db.session.scalar(
        select(func.max(Registration.waitlist_position)).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    registration.status = RegistrationStatus.WAITLISTED
    registration.awaiting = None
    registration.waitlist_position = (last or 0) + 1
    registration.sequence += 1
    db.session.flush()
    mail_registrant(registration, "registration_waitlisted")


def _leave_queue(event: Event, position: int) -> None:
    """Close the gap a person leaves in the waiting list."""
    db.session.execute(
        update(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.waitlist_position > position,
        )
        .values(waitlist_position=Registration.waitlist_position - 1)
        .execution_options(synchronize_session="fetch")
    )


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the people waiting, in order (skipping sectors that are full)."""
    event = _lock(event)
    promoted = []
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED
        )
        .order_by(Registration.waitlist_position)
    ).all()
    for registration in waiting:
        if event.capacity is not None and event.seats_taken >= event.capacity:
            break
        if not _seat_free(event, registration.sector):
            continue
        position = registration.waitlist_position
        _take_seat(event, registration)
        db.session.flush()
        _leave_queue(event, position)
        promoted.append(registration)
        mail_registrant(registration, "registration_promoted")
    return promoted


def cancel(registration: Registration, by_organiser: bool = False) -> list[Registration]:
    """Cancel; a freed seat goes to the first person waiting. Returns who was promoted."""
    if not registration.is_active:
        return []
    event = _lock(registration.event)
    was = registration.status
    position = registration.waitlist_position
    _set(registration, RegistrationStatus.CANCELLED)
    registration.cancelled_at = utcnow()
    registration.sequence += 1
    if was is RegistrationStatus.CONFIRMED:
        _free_seat(event, registration)
    db.session.flush()
    if position is not None:
        _leave_queue(event, position)
    mail_registrant(registration, "registration_cancelled", by_organiser=by_organiser)
    return promote_waiting(event) if was is RegistrationStatus.CONFIRMED else []


def cancel_own(actor: Actor, registration: Registration) -> list[Registration]:
    if not policy.owns_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    return cancel(registration)


# Organisers' decisions -------------------------------------------------------------


def _moved(actor: Actor, registration: Registration, verb: str, was, **details) -> None:
    """Record an organiser's move; the person is named by the registration's number only."""
    summary = (
        f"{verb.replace('_', ' ')}: registration {registration.id} for “{registration.event.title}”"
    )
    details = {"event_id": registration.event_id, "from": was, "to": registration.status, **details}
    audit.record(actor, f"registration.{verb}", "registration", registration.id, summary, details)


def approve(actor: Actor, registration: Registration) -> None:
    policy.require_manage_event(actor, registration.event)
    if registration.awaiting is not Awaiting.APPROVAL:
        raise Conflict(str(_l("This registration is not waiting for approval.")))
    _allocate(registration)
    _moved(actor, registration, "approved", RegistrationStatus.PENDING)


def decline(actor: Actor, registration: Registration) -> None:
    policy.require_manage_event(actor, registration.event)
    if registration.status is not RegistrationStatus.PENDING:
        raise Conflict(str(_l("Only a pending registration can be declined.")))
    _set(registration, RegistrationStatus.DECLINED)
    registration.sequence += 1
    _moved(actor, registration, "declined", RegistrationStatus.PENDING)
    mail_registrant(registration, "registration_declined")


def move_from_waitlist(actor: Actor, registration: Registration) -> None:
    """An organiser gives a free seat to this person rather than the first in line."""
    policy.require_manage_event(actor, registration.event)
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise Conflict(str(_l("This person is not on the waiting list.")))
    event = _lock(registration.event)
    if not _seat_free(event, registration.sector):
        raise EventFull(str(_l("There is no free seat (or none left for this sector).")))
    position = registration.waitlist_position
    _take_seat(event, registration)
    db.session.flush()
    _leave_queue(event, position)
    _moved(actor, registration, "moved_from_waitlist", RegistrationStatus.WAITLISTED)
    mail_registrant(registration, "registration_promoted")


def cancel_by_organiser(actor: Actor, registration: Registration) -> list[Registration]:
    policy.require_manage_event(actor, registration.event)
    was = registration.status
    promoted = cancel(registration, by_organiser=True)
    if was is not registration.status:
        _moved(actor, registration, "cancelled", was)
    return promoted


def set_check_in(actor: Actor, registration: Registration, mode: str | None) -> None:
    """Check a confirmed participant in (in person or online), or undo it (mode None)."""
    policy.require_manage_event(actor, registration.event)
    if mode is None:
        if registration.checked_in_at is not None:
            _moved(actor, registration, "check_in_undone", registration.status)
        registration.checked_in_at, registration.attendance_mode = None, None
        return
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise Conflict(str(_l("Only confirmed participants can be checked in.")))
    try:
        registration.attendance_mode = AttendanceMode(mode)
    except ValueError:
        raise InvalidInput(str(_l("Choose in person or online."))) from None
    registration.checked_in_at = utcnow()
    _moved(actor, registration, "checked_in", registration.status, mode=mode)


def update_answers(actor: Actor, registration: Registration, data: RegistrationInput) -> None:
    """The participant changes their details and answers, until registration closes."""
    if not policy.owns_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    event = registration.event
    locked = answers_locked(registration)
    if locked:
        raise RegistrationClosed(locked)
    values = _clean(event, data, need_identity=False)
    if (
        values["sector"] is not registration.sector
        and registration.status is (RegistrationStatus.CONFIRMED)
        and _quota(event, values["sector"]) is not None
    ):
        raise Conflict(str(_l("Your sector has its own quota: ask the organisers to change it.")))
    if registration.status is RegistrationStatus.CONFIRMED:
        event = _lock(event)
        # Keep the sector counters right when the person changes sector.
        old, new = _quota(event, registration.sector), _quota(event, values["sector"])
        if old is not new:
            if old is not None:
                old.taken -= 1
            if new is not None:
                new.taken += 1
    _fill(registration, values)


# Jobs ------------------------------------------------------------------------------


def expire_unconfirmed(now=None) -> int:
    """Cancel registrations whose address was not confirmed in time; returns how many."""
    now = now or utcnow()
    expired = db.session.scalars(
        select(Registration).where(
            Registration.status == RegistrationStatus.PENDING,
            Registration.awaiting == Awaiting.EMAIL,
            Registration.expires_at < now,
        )
    ).all()
    for registration in expired:
        _set(registration, RegistrationStatus.CANCELLED)
        registration.cancelled_at = now
    return len(expired)


def seat_counts_are_consistent(event: Event) -> bool:
    """True when the counters match the registrations (for tests and support staff)."""
    confirmed = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
        )
    )
    return confirmed == event.seats_taken


# E-mail ------------------------------------------------------------------------------


def mail_registrant(registration: Registration, template: str, **context) -> None:
    """E-mail the person registered, with the links to the event, to confirm and to cancel."""
    event = registration.event
    token = manage_token(registration)
    links = {
        "event_url": external_url("events.detail", slug=event.slug),
        "confirm_url": external_url(
            "registration.confirm", registration_id=registration.id, token=token
        ),
        "cancel_url": external_url(
            "registration.cancel_by_link", registration_id=registration.id, token=token
        ),
    }
    mail.send(
        template, registration.user, event=event, registration=registration, **links, **context
    )


# Delegations -----------------------------------------------------------------------


@dataclass
class Delegate:
    name: str
    email: str


def register_delegation(
    actor: User, event: Event, member_id: int, sector: str, people: list[Delegate]
) -> list[Registration]:
    """A member's focal point registers several of its people at once.

    Each person gets a pending registration, held until they confirm their own address by
    e-mail and answer the event's required questions; nobody is registered unless every
    line is valid.
    """
    policy.require_register_delegation(actor, member_id)
    if not people:
        raise InvalidInput(
            str(_l("Add at least one person.")), {"people": [str(_l("Add at least one person."))]}
        )
    if len(people) > 200:
        raise InvalidInput(
            str(_l("At most 200 people at once.")),
            {"people": [str(_l("At most 200 people at once."))]},
        )
    errors: dict[str, list[str]] = {}
    registrations = []
    for line, person in enumerate(people, start=1):
        data = RegistrationInput(
            name=person.name, email=person.email, sector=sector, member_id=member_id
        )
        try:
            with db.session.begin_nested():
                registration, _new = register(event, data, actor, registered_by=actor)
        except InvalidInput as error:
            for name, messages in error.fields.items():
                errors[f"people.{line}.{name}"] = messages
            continue
        registrations.append(registration)
    if errors:
        raise InvalidInput(str(_l("Some lines are not valid: nobody was registered.")), errors)
    return registrations


# Participants' own pages -------------------------------------------------------------


def own_registration(actor: Actor | None, registration_id: int) -> Registration:
    """The actor's own registration; NotFound for anyone else's, organisers' included."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not policy.owns_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    return registration


def registrations_of_user(user: User) -> list[Registration]:
    """A person's registrations across events, by the events' start."""
    return db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id)
        .order_by(Event.starts_at, Registration.id)
    ).all()


def answers_locked(registration: Registration) -> str | None:
    """Why the participant can no longer change their answers, or None (see update_answers)."""
    event = registration.event
    if not registration.is_active:
        return str(_l("This registration is no longer active: its answers cannot change."))
    if utcnow() >= (event.registration_closes_at or event.ends_at):
        return str(_l("Registration is closed: answers can no longer change."))
    return None


def remind(registration: Registration) -> None:
    """Send again the e-mail that matches the registration's state.

    For someone who registers again without signing in: the page must not tell a stranger
    who typed the address whether it is registered, so the e-mail does.
    """
    if (
        registration.status is RegistrationStatus.PENDING
        and registration.awaiting is Awaiting.EMAIL
    ):
        hours = current_app.config.get("REGISTRATION_CONFIRMATION_HOURS", CONFIRMATION_HOURS)
        registration.expires_at = utcnow() + timedelta(hours=hours)
        mail_registrant(registration, "registration_confirm_email", hours=hours)
    elif registration.status is RegistrationStatus.PENDING:
        mail_registrant(registration, "registration_pending_approval")
    elif registration.status is RegistrationStatus.CONFIRMED:
        mail_registrant(registration, "registration_confirmed")
    elif registration.status is RegistrationStatus.WAITLISTED:
        mail_registrant(registration, "registration_waitlisted")
