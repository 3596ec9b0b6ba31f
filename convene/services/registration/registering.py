"""Registering, confirming one's address, cancelling: the life of a registration."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import Awaiting, Event, Registration, RegistrationStatus, User, utcnow
from ...models.registrations import new_nonce
from ...policy import Actor
from .. import Conflict, InvalidInput, NotFound
from ..accounts import create_user, find_user_by_email
from .answers import clean_answers, require_answers
from .details import RegistrationInput, clean, fill
from .finding import registration_of
from .links import registration_by_token
from .mails import ask_to_confirm, mail_registrant, remind
from .opening import RegistrationClosed, registration_open
from .seats import free_seat, lock, preload, set_status
from .waiting import allocate, leave_line, promote_waiting


def register(
    event: Event,
    data: RegistrationInput,
    actor: Actor | None = None,
    *,
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
    values = clean(
        event, data, need_identity=not self_service, answers_required=registered_by is None
    )
    person = actor if self_service else _account_for(values, locale)
    # What the e-mail and its calendar attachment read is loaded before the lock: while the
    # event's row is locked, every other registration for it waits.
    preload(event)
    # Lock the event before writing anything: inserting a registration takes a key-share
    # lock on the event's row, and two of those both waiting for the row lock deadlock.
    event = lock(event)
    existing = registration_of(person, event)
    if existing is not None and existing.is_active:
        return existing, False
    if existing is not None and existing.status is RegistrationStatus.DECLINED:
        raise Conflict(str(_l("The organisers declined this registration; contact them.")))
    registration = _renewed(existing, event, person, registered_by, values)
    set_status(registration, RegistrationStatus.PENDING, Awaiting.EMAIL)  # until placed
    if self_service and person.email_confirmed:
        # Placed before anything is written: one INSERT with the seat or place in line.
        with db.session.no_autoflush:
            place(registration, locked=True)
    else:
        ask_to_confirm(registration)
    return registration, True


def _account_for(values: dict, locale: str | None) -> User:
    """The account of the address given, made (in `locale`) if there is none."""
    return find_user_by_email(values["email"]) or create_user(
        values["email"], values["name"], locale=locale
    )


def _renewed(
    existing: Registration | None,
    event: Event,
    person: User,
    registered_by: User | None,
    values: dict,
) -> Registration:
    """The person's earlier, inactive registration filled anew, or a new one in the session."""
    registration = existing or Registration(event_id=event.id, user_id=person.id, sequence=0)
    registration.event, registration.user = event, person
    registration.registered_by_id = registered_by.id if registered_by else None
    registration.manage_nonce = new_nonce()  # links sent for an earlier registration die
    registration.cancelled_at = None
    fill(registration, values)
    if existing is None:
        db.session.add(registration)
    return registration


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
        cleaned, errors = clean_answers(registration.event, answers)
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
    place(registration)
    return registration


def place(registration: Registration, locked: bool = False) -> None:
    """After the address is known: wait for approval, or take a seat or a place in line;
    never without every required answer (InvalidInput)."""
    require_answers(registration)
    event = registration.event
    registration.expires_at = None
    if event.manual_approval:
        set_status(registration, RegistrationStatus.PENDING, Awaiting.APPROVAL)
        db.session.flush()
        mail_registrant(registration, "registration_pending_approval")
        return
    allocate(registration, locked)


def cancel(registration: Registration, by_organiser: bool = False) -> list[Registration]:
    """Cancel; a freed seat goes to the first person waiting. Returns who was promoted."""
    if not registration.is_active:
        return []
    event = lock(registration.event)
    was = registration.status
    position = registration.waitlist_position
    set_status(registration, RegistrationStatus.CANCELLED)
    registration.cancelled_at = utcnow()
    registration.sequence += 1
    if was is RegistrationStatus.CONFIRMED:
        free_seat(event, registration)
    db.session.flush()
    if position is not None:
        leave_line(event, position)
    mail_registrant(registration, "registration_cancelled", by_organiser=by_organiser)
    return promote_waiting(event) if was is RegistrationStatus.CONFIRMED else []


def cancel_own(actor: Actor, registration: Registration) -> list[Registration]:
    if not policy.owns_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    return cancel(registration)


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
        set_status(registration, RegistrationStatus.CANCELLED)
        registration.cancelled_at = now
    return len(expired)
