"""What a person tells the organisers when registering, checked, and changed later."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ... import policy
from ...extensions import db
from ...models import AgeBand, Event, Member, Registration, RegistrationStatus, Sector
from ...policy import Actor
from .. import Conflict, InvalidInput, NotFound
from ..validation import clean_email
from .answers import clean_answers
from .opening import RegistrationClosed, answers_locked
from .seats import lock, quota

MAX_TEXT = 2000


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


def clean(
    event: Event, data: RegistrationInput, need_identity: bool, answers_required: bool = True
) -> dict:
    """The registration's values from `data`, or InvalidInput naming every field wrong."""
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
    values["answers"], answer_errors = clean_answers(event, data.answers, answers_required)
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


def fill(registration: Registration, values: dict) -> None:
    """Set what `clean` checked on the registration."""
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


def update_answers(actor: Actor, registration: Registration, data: RegistrationInput) -> None:
    """The participant changes their details and answers, until registration closes."""
    if not policy.owns_registration(actor, registration):
        raise NotFound(str(_l("No such registration.")))
    event = registration.event
    locked = answers_locked(registration)
    if locked:
        raise RegistrationClosed(locked)
    values = clean(event, data, need_identity=False)
    if (
        values["sector"] is not registration.sector
        and registration.status is (RegistrationStatus.CONFIRMED)
        and quota(event, values["sector"]) is not None
    ):
        raise Conflict(str(_l("Your sector has its own quota: ask the organisers to change it.")))
    if registration.status is RegistrationStatus.CONFIRMED:
        event = lock(event)
        # Keep the sector counters right when the person changes sector.
        old, new = quota(event, registration.sector), quota(event, values["sector"])
        if old is not new:
            if old is not None:
                old.taken -= 1
            if new is not None:
                new.taken += 1
    fill(registration, values)
