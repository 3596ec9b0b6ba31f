"""Who organises an event: added by address, removed while another remains."""

from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import Event, EventOrganiser
from ...policy import Actor
from ...urls import external_url
from .. import Conflict, InvalidInput, NotFound, audit, mail
from ..accounts import find_user_by_email


def add_organiser(actor: Actor, event: Event, email: str) -> EventOrganiser:
    policy.require_manage_event(actor, event)
    user = find_user_by_email(email or "")
    if user is None:
        raise InvalidInput(
            str(_l("Nobody has an account with this address.")),
            {"email": [str(_l("Ask them to create an account first."))]},
        )
    if any(o.user_id == user.id for o in event.organisers):
        raise Conflict(
            str(_l("%(name)s already organises this event.", name=user.name)),
            {"email": [str(_l("Already an organiser."))]},
        )
    organiser = EventOrganiser(user=user)
    event.organisers.append(organiser)
    summary = f"made person #{user.id} an organiser of “{event.title}”"
    audit.record(actor, "event.organiser_added", "event", event.id, summary)
    mail.send(
        "organiser_added",
        user,
        event=event,
        url=external_url("events.manage", slug=event.slug),
    )
    return organiser


def remove_organiser(actor: Actor, event: Event, user_id: int) -> None:
    policy.require_manage_event(actor, event)
    organiser = next((o for o in event.organisers if o.user_id == user_id), None)
    if organiser is None:
        raise NotFound(str(_l("This person does not organise this event.")))
    if len(event.organisers) == 1:
        raise Conflict(str(_l("An event needs at least one organiser.")))
    summary = f"removed person #{organiser.user_id} as an organiser of “{event.title}”"
    event.organisers.remove(organiser)
    audit.record(actor, "event.organiser_removed", "event", event.id, summary)
