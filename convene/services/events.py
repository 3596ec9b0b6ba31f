"""Events: created from accepted proposals, run by their hosts' focal points."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Event, EventOrganiser, EventStatus, HostStatus, Proposal
from . import NotFound
from .validation import slugify


def unique_event_slug(title: str) -> str:
    base = slugify(title)[:100]
    taken = set(db.session.scalars(select(Event.slug).where(Event.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_event_from_proposal(proposal: Proposal) -> Event:
    """The accepted proposal's event, in draft, with its hosts' focal points as organisers."""
    hosts = [h.member for h in proposal.hosts if h.status is HostStatus.ACCEPTED]
    event = Event(
        slug=unique_event_slug(proposal.title),
        status=EventStatus.DRAFT,
        title=proposal.title,
        description=proposal.summary,
        format=proposal.format,
        starts_at=proposal.starts_at,
        ends_at=proposal.ends_at,
        timezone=proposal.timezone,
        city=proposal.city,
        country=proposal.country,
        languages=list(proposal.languages or []),
        themes=list(proposal.themes),
        hosts=hosts,
        proposal=proposal,
    )
    people = {fp.user_id for member in hosts for fp in member.focal_points}
    event.organisers = [EventOrganiser(user_id=user_id) for user_id in sorted(people)]
    db.session.add(event)
    db.session.flush()
    return event


def get_event_by_slug(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(str(_l("No such event.")))
    return event
