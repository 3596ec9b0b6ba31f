"""An event's details: made from an accepted proposal or by an administrator, and changed."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policy
from ...extensions import db
from ...models import Event, EventOrganiser, EventStatus, HostStatus, Member, Proposal
from ...policy import Actor
from .. import InvalidInput, audit
from ..validation import slugify
from .checks import EventInput, clean_event
from .lifecycle import require_open, tell_registered


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


def create_event(actor: Actor, data: EventInput, host_ids: list[int]) -> Event:
    """An event made directly by an administrator (most come from accepted proposals)."""
    policy.require_administer(actor)
    values = clean_event(data)
    hosts = db.session.scalars(select(Member).where(Member.id.in_(host_ids or []))).all()
    if len(hosts) != len(set(host_ids or [])):
        raise InvalidInput(str(_l("Unknown member.")), {"hosts": [str(_l("Unknown member."))]})
    event = Event(
        slug=unique_event_slug(values["title"]),
        status=EventStatus.DRAFT,
        hosts=list(hosts),
        **values,
    )
    people = {fp.user_id for member in hosts for fp in member.focal_points}
    event.organisers = [EventOrganiser(user_id=user_id) for user_id in sorted(people)]
    db.session.add(event)
    db.session.flush()
    return event


# A change of time or place of a published event is e-mailed to everyone registered.
WHEN_AND_WHERE = (
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "address",
    "city",
    "country",
    "online_url",
    "format",
)
# Whatever calendars show: a change raises the event's SEQUENCE.
CALENDAR_FIELDS = (
    *WHEN_AND_WHERE,
    "title",
    "contact_email",
    "description",
    "language",
    "translations",
)


def update_event(actor: Actor, event: Event, data: EventInput) -> set[str]:
    """Change the event's details; returns the names of the fields that changed.

    A change calendars must show raises `sequence`; a change of time or place of a
    published event is e-mailed to everyone registered.
    """
    policy.require_manage_event(actor, event)
    require_open(event)
    values = clean_event(data)
    closes = event.registration_closes_at
    if closes is not None and values["ends_at"] < closes:
        raise InvalidInput(
            str(_l("Registration closes after this end: change the registration settings first.")),
            {"ends_at": [str(_l("The event cannot end before its registration closes."))]},
        )
    changed = {
        name for name, value in values.items() if name != "themes" and getattr(event, name) != value
    }
    if {t.id for t in event.themes} != {t.id for t in values["themes"]}:
        changed.add("themes")
    before = audit.snapshot(event, sorted(changed))
    for name, value in values.items():
        setattr(event, name, value)
    if changed:
        summary = f"changed the details of “{event.title}”"
        audit.record(
            actor, "event.details_changed", "event", event.id, summary, audit.changes(before, event)
        )
    if changed & set(CALENDAR_FIELDS) or "themes" in changed:
        event.sequence += 1
    if event.status is EventStatus.PUBLISHED and changed & set(WHEN_AND_WHERE):
        tell_registered(event, "event_changed", changed=changed)
    return changed
