"""Finding events: one for those who may see it, and lists by filter, organiser or date."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ... import policy
from ...extensions import db
from ...models import Event, EventFormat, EventOrganiser, EventStatus, Theme, User, utcnow
from ...policy import Actor
from .. import InvalidInput, NotFound
from ..rows import get_visible


def get_event(actor: Actor | None, slug: str) -> Event:
    """The event at `slug`; a draft only for its organisers (NotFound for anyone else)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not policy.can_see_event(actor, event):
        raise NotFound(str(_l("No such event.")))
    return event


def get_event_by_id(actor: Actor | None, event_id: int) -> Event:
    """The event `event_id`, as get_event finds one by its slug."""
    return get_visible(Event, event_id, actor, policy.can_see_event, _l("No such event."))


@dataclass
class EventFilters:
    theme: str | None = None  # a slug; its sub-themes match too
    country: str | None = None
    format: str | None = None
    when: str = "upcoming"  # upcoming, past or all
    q: str | None = None


def events_query(filters: EventFilters, actor: Actor | None = None):
    """Public events matching `filters` (with the organiser's own drafts), in date order."""
    now = utcnow()
    query = select(Event)
    visible = policy.visible_events(actor)
    if visible is not None:
        query = query.where(visible)
    if filters.theme:
        theme = db.session.scalar(select(Theme).where(Theme.slug == filters.theme))
        ids = [] if theme is None else [theme.id, *(child.id for child in theme.children)]
        query = query.where(Event.themes.any(Theme.id.in_(ids)))
    if filters.country:
        query = query.where(Event.country == filters.country.upper())
    if filters.format:
        try:
            query = query.where(Event.format == EventFormat(filters.format))
        except ValueError:
            raise InvalidInput(
                str(_l("Unknown format.")),
                {"format": [str(_l("Choose in person, online or hybrid."))]},
            ) from None
    if filters.q:
        needle = filters.q.strip().lower()
        query = query.where(
            or_(
                func.lower(Event.title).contains(needle, autoescape=True),
                func.lower(Event.description).contains(needle, autoescape=True),
                func.lower(Event.city).contains(needle, autoescape=True),
            )
        )
    if filters.when == "past":
        return query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id)
    if filters.when == "upcoming":
        query = query.where(Event.ends_at >= now)
    return query.order_by(Event.starts_at, Event.id)


def events_of_organiser(user: User) -> list[Event]:
    return db.session.scalars(
        select(Event)
        .where(Event.organisers.any(EventOrganiser.user_id == user.id))
        .order_by(Event.starts_at.desc())
    ).all()


def upcoming_events(limit: int = 5) -> list[Event]:
    """The next published events that have not ended, soonest first."""
    return db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    ).all()
