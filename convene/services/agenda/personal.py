"""Personal agendas: the sessions a person stars, and one timeline across events of those
and the events they registered for."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import policy
from ...extensions import db
from ...models import (
    AgendaSession,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Star,
    User,
)
from ...policy import Actor
from .warnings import overlapping


def star(actor: Actor, session: AgendaSession) -> None:
    policy.require_keep_agenda(actor)
    exists = db.session.scalar(
        select(Star.id).where(Star.user_id == actor.id, Star.session_id == session.id)
    )
    if exists is None:
        db.session.add(Star(user_id=actor.id, session_id=session.id))


def unstar(actor: Actor, session: AgendaSession) -> None:
    star_row = db.session.scalar(
        select(Star).where(
            Star.user_id == getattr(actor, "id", None), Star.session_id == session.id
        )
    )
    if star_row is not None:
        db.session.delete(star_row)


def starred_ids(user: Actor | None, event: Event) -> set[int]:
    if not policy.can_keep_agenda(user):
        return set()
    return set(
        db.session.scalars(
            select(Star.session_id)
            .join(AgendaSession)
            .where(Star.user_id == user.id, AgendaSession.event_id == event.id)
        )
    )


@dataclass
class AgendaItem:
    starts_at: datetime
    ends_at: datetime
    title: str
    event: Event
    session: AgendaSession | None = None
    registration: Registration | None = None
    overlaps: list[str] = field(default_factory=list)


def personal_agenda(user: User) -> list[AgendaItem]:
    """Starred sessions and events registered for, across events, in one timeline;
    each starred session lists the other starred sessions it overlaps."""
    sessions = db.session.scalars(
        select(AgendaSession)
        .join(Star)
        .where(Star.user_id == user.id)
        .options(selectinload(AgendaSession.event), selectinload(AgendaSession.speakers))
    ).all()
    registrations = db.session.scalars(
        select(Registration)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(
                [
                    RegistrationStatus.CONFIRMED,
                    RegistrationStatus.WAITLISTED,
                    RegistrationStatus.PENDING,
                ]
            ),
        )
        .options(selectinload(Registration.event))
    ).all()
    # A starred session of an event gone back to draft is hidden, like the event itself.
    sessions = [s for s in sessions if s.event.status is not EventStatus.DRAFT]
    items = [AgendaItem(s.starts_at, s.ends_at, s.title, s.event, session=s) for s in sessions]
    items += [
        AgendaItem(r.event.starts_at, r.event.ends_at, r.event.title, r.event, registration=r)
        for r in registrations
    ]
    live = [s for s in sessions if s.cancelled_at is None]
    by_id = {item.session.id: item for item in items if item.session is not None}
    for first, second in overlapping(live):
        by_id[first.id].overlaps.append(second.title)
        by_id[second.id].overlaps.append(first.title)
    return sorted(items, key=lambda item: (item.starts_at, item.session is not None))
