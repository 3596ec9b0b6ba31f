"""Delegations: a member's focal point registers several of its people at once."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ... import policy
from ...extensions import db
from ...models import Event, Registration, User
from .. import InvalidInput
from .details import RegistrationInput
from .registering import register


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
