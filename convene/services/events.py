"""Events: created from accepted proposals, run by their hosts' focal points."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import policy
from ..extensions import db
from ..models import (
    ACTIVE_STATUSES,
    Event,
    EventFormat,
    EventOrganiser,
    EventQuestion,
    EventStatus,
    HostStatus,
    Member,
    Proposal,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Sector,
    SectorQuota,
    Theme,
    User,
    utcnow,
)
from ..policy import Actor
from ..urls import external_url
from . import Checks, Conflict, InvalidInput, NotFound, audit, content, mail
from .accounts import find_user_by_email
from .calendars import real_address
from .registration import mail_registrant, promote_waiting
from .times import to_utc
from .validation import (
    ONE_LINE_MESSAGE,
    check_country,
    check_languages,
    check_timezone,
    clean_email,
    is_one_line,
    slugify,
)


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


# Seeing events -----------------------------------------------------------------------


def get_event(actor: Actor | None, slug: str) -> Event:
    """The event at `slug`; a draft only for its organisers (NotFound for anyone else)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not policy.can_see_event(actor, event):
        raise NotFound(str(_l("No such event.")))
    return event


def get_event_by_id(actor: Actor | None, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not policy.can_see_event(actor, event):
        raise NotFound(str(_l("No such event.")))
    return event


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


# Changing events ---------------------------------------------------------------------


@dataclass
class EventInput:
    title: str = ""
    description: str = ""
    theme_ids: list[int] = field(default_factory=list)
    format: str | None = None
    starts_at: datetime | None = None  # naive: wall time in `timezone`
    ends_at: datetime | None = None
    timezone: str = ""
    venue: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    online_url: str | None = None
    contact_email: str | None = None  # public; calendars give it as the ORGANIZER
    languages: list[str] = field(default_factory=list)
    # None leaves them as they are (the API may leave them out).
    language: str | None = None
    translations: dict | None = None


def _clean_event(data: EventInput) -> dict:
    checks = Checks()
    values, errors, check = checks.values, checks.errors, checks.run

    def text(name, limit, required=False):
        value = (getattr(data, name) or "").strip()
        if required and not value:
            raise InvalidInput("", {name: [str(_l("This field is required."))]})
        if len(value) > limit:
            raise InvalidInput("", {name: [str(_l("Keep this under %(n)d characters.", n=limit))]})
        if name in ("title", "venue", "city") and not is_one_line(value):
            raise InvalidInput("", {name: [str(ONE_LINE_MESSAGE)]})
        return value or None

    check("title", lambda: text("title", 200, required=True))
    check("description", lambda: text("description", 20_000) or "")
    for name, limit in (("venue", 200), ("address", 1000), ("city", 120)):
        check(name, lambda name=name, limit=limit: text(name, limit))
    check("online_url", lambda: _check_url(data.online_url))
    check("contact_email", lambda: _check_contact(data.contact_email))
    check("timezone", lambda: check_timezone(data.timezone))
    check("country", lambda: check_country(data.country) if data.country else None)
    check("languages", lambda: check_languages(data.languages))
    check("format", lambda: EventFormat(data.format) if data.format else _required("format"))
    check("themes", lambda: _themes(data.theme_ids))
    if data.language is not None or data.translations is not None:
        language = data.language or "en"
        check("translations", lambda: content.clean_translations(language, data.translations))
        if "translations" in values:
            values["language"] = language
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is None:
            errors.setdefault(name, []).append(str(_l("This field is required.")))
        elif "timezone" in values or value.tzinfo is not None:
            check(
                name,
                lambda value=value, name=name: to_utc(value, values.get("timezone") or "UTC", name),
            )
    if (
        values.get("starts_at")
        and values.get("ends_at")
        and values["ends_at"] <= values["starts_at"]
    ):
        errors.setdefault("ends_at", []).append(str(_l("The end must come after the start.")))
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    return values


def _required(name):
    raise InvalidInput("", {name: [str(_l("This field is required."))]})


def _check_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 500 or not value.lower().startswith(("https://", "http://")):
        raise InvalidInput(
            "",
            {
                "online_url": [
                    str(_l("Give a web address starting with https:// (at most 500 characters)."))
                ]
            },
        )
    return value


def _check_contact(value: str | None) -> str | None:
    """A real address or None: calendars name it as the organiser, so no host that no mail
    reaches (events@localhost) either."""
    value = (value or "").strip()
    if not value:
        return None
    address = clean_email(value, "contact_email")
    if real_address(address) is None:
        raise InvalidInput(
            "",
            {"contact_email": [str(_l("Enter a valid e-mail address, like name@example.org."))]},
        )
    return address


def _themes(theme_ids) -> list[Theme]:
    ids = list(dict.fromkeys(theme_ids or []))
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(ids))).all() if ids else []
    if len(themes) != len(ids):
        raise InvalidInput("", {"themes": [str(_l("Unknown theme."))]})
    return themes


def _require_open(event: Event) -> None:
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        raise Conflict(str(_l("A cancelled or completed event can no longer be changed.")))


CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "address",
    "city",
    "country",
    "online_url",
    "contact_email",
    "format",
    "description",
    "language",
    "translations",
)
NOTIFY_FIELDS = (
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


def update_event(actor: Actor, event: Event, data: EventInput) -> set[str]:
    """Change the event's details; returns the names of the fields that changed.

    A change calendars must show raises `sequence`; a change of time or place of a
    published event is e-mailed to everyone registered.
    """
    policy.require_manage_event(actor, event)
    _require_open(event)
    values = _clean_event(data)
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
    if event.status is EventStatus.PUBLISHED and changed & set(NOTIFY_FIELDS):
        _tell_registered(event, "event_changed", changed=changed)
    return changed


def create_event(actor: Actor, data: EventInput, host_ids: list[int]) -> Event:
    """An event made directly by an administrator (most come from accepted proposals)."""
    policy.require_administer(actor)
    values = _clean_event(data)
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


REGISTRATION_SETTINGS = (
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "waitlist_enabled",
    "manual_approval",
    "show_participants",
    "quotas",
)


@dataclass
class RegistrationSettings:
    opens_at: datetime | None = None  # naive: wall time in the event's timezone
    closes_at: datetime | None = None
    capacity: int | None = None
    waitlist_enabled: bool = True
    manual_approval: bool = False
    show_participants: bool = True
    quotas: dict[str, int] = field(default_factory=dict)  # sector → seats


def update_registration_settings(actor: Actor, event: Event, settings: RegistrationSettings):
    """Opening and closing, capacity, waiting list, approval and quotas.

    Capacity and quotas cannot drop below the seats already confirmed; raising them
    gives the new seats to the people waiting.
    """
    policy.require_manage_event(actor, event)
    _require_open(event)
    errors: dict[str, list[str]] = {}
    opens = closes = None
    try:
        opens = to_utc(settings.opens_at, event.timezone, "opens_at") if settings.opens_at else None
        closes = (
            to_utc(settings.closes_at, event.timezone, "closes_at") if settings.closes_at else None
        )
    except InvalidInput as error:
        errors.update(error.fields)
    if opens and closes and closes <= opens:
        errors["closes_at"] = [str(_l("Registration must close after it opens."))]
    if closes and closes > event.ends_at:
        errors["closes_at"] = [str(_l("Registration must close by the end of the event."))]
    capacity = settings.capacity
    if capacity is not None and not 0 <= capacity <= 1_000_000:
        errors["capacity"] = [str(_l("Give a number of seats from 0 to 1,000,000."))]
    elif capacity is not None and capacity < event.seats_taken:
        errors["capacity"] = [
            str(
                _l(
                    "%(n)d people are already confirmed: cancel some registrations first.",
                    n=event.seats_taken,
                )
            )
        ]
    quotas = {}
    for sector, seats in (settings.quotas or {}).items():
        try:
            quotas[Sector(sector)] = int(seats)
        except (ValueError, TypeError):
            errors["quotas"] = [str(_l("Unknown sector or number of seats."))]
    existing = {q.sector: q for q in event.quotas}
    for sector, seats in quotas.items():
        taken = existing[sector].taken if sector in existing else _confirmed_in(event, sector)
        if seats < 0:
            errors[f"quotas.{sector.value}"] = [str(_l("Give a number of seats from 0."))]
        elif seats < taken:
            errors[f"quotas.{sector.value}"] = [
                str(_l("%(n)d people of this sector are already confirmed.", n=taken))
            ]
    if errors:
        raise InvalidInput(str(_l("Please correct the fields marked below.")), errors)
    before = audit.snapshot(event, REGISTRATION_SETTINGS)
    event.registration_opens_at, event.registration_closes_at = opens, closes
    event.capacity = capacity
    event.waitlist_enabled = bool(settings.waitlist_enabled)
    event.manual_approval = bool(settings.manual_approval)
    event.show_participants = bool(settings.show_participants)
    for sector, quota in existing.items():
        if sector not in quotas:
            event.quotas.remove(quota)
    for sector, seats in quotas.items():
        if sector in existing:
            existing[sector].seats = seats
        else:
            event.quotas.append(
                SectorQuota(sector=sector, seats=seats, taken=_confirmed_in(event, sector))
            )
    if changed := audit.changes(before, event):
        summary = f"changed the registration settings of “{event.title}”"
        audit.record(actor, "event.settings_changed", "event", event.id, summary, changed)
    db.session.flush()
    return promote_waiting(event)


def _confirmed_in(event: Event, sector: Sector) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Registration.event_id == event.id,
                Registration.sector == sector,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        or 0
    )


@dataclass
class QuestionInput:
    kind: str
    label: str
    options: list[str] = field(default_factory=list)
    required: bool = False
    id: int | None = None


def save_questions(actor: Actor, event: Event, questions: list[QuestionInput]) -> None:
    """Replace the event's questions; kept ids keep their answers."""
    policy.require_manage_event(actor, event)
    _require_open(event)
    errors: dict[str, list[str]] = {}
    existing = {q.id: q for q in event.questions}
    keep = []
    for position, data in enumerate(questions):
        name = f"questions.{position}"
        try:
            kind = QuestionKind(data.kind)
        except ValueError:
            errors[name] = [str(_l("Unknown kind of question."))]
            continue
        label = (data.label or "").strip()
        options = [o.strip() for o in data.options or [] if o and o.strip()]
        if not label or len(label) > 300:
            errors[name] = [str(_l("Give the question (at most 300 characters)."))]
        elif (
            kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and len(options) < 2
        ):
            errors[name] = [str(_l("Give at least two options."))]
        elif len(options) > 50 or any(len(o) > 200 for o in options):
            errors[name] = [str(_l("At most 50 options of 200 characters each."))]
        if data.id is not None and data.id not in existing:
            errors[name] = [str(_l("Unknown question."))]
        question = existing.get(data.id) or EventQuestion()
        question.kind, question.label, question.options = kind, label, options
        question.required, question.position = bool(data.required), position
        keep.append(question)
    if errors:
        raise InvalidInput(str(_l("Please correct the questions.")), errors)
    event.questions = keep
    summary = f"saved the registration questions of “{event.title}”"
    audit.record(
        actor, "event.questions_saved", "event", event.id, summary, {"questions": len(keep)}
    )


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


# The life of an event ------------------------------------------------------------------


def publish(actor: Actor, event: Event) -> None:
    """draft → published: open to everyone (and to registration, when it opens)."""
    policy.require_manage_event(actor, event)
    if event.status is not EventStatus.DRAFT:
        raise Conflict(str(_l("Only a draft can be published.")))
    if event.ends_at <= utcnow():
        raise Conflict(str(_l("An event that has ended cannot be published.")))
    if event.format is not EventFormat.ONLINE and not (event.city or event.venue):
        raise InvalidInput(
            str(_l("Say where the event takes place before publishing it.")),
            {"city": [str(_l("Required unless the event is online."))]},
        )
    event.status = EventStatus.PUBLISHED
    event.sequence += 1
    audit.record(actor, "event.published", "event", event.id, f"published “{event.title}”")


def cancel_event(actor: Actor, event: Event, message: str) -> None:
    """Cancel a draft or published event and tell everyone registered, with `message`."""
    policy.require_manage_event(actor, event)
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise Conflict(str(_l("Only a draft or published event can be cancelled.")))
    message = (message or "").strip()
    if not message:
        raise InvalidInput(
            str(_l("Tell the participants why.")),
            {"message": [str(_l("Tell the participants why."))]},
        )
    event.status = EventStatus.CANCELLED
    event.cancellation_message = message[:5000]
    event.cancelled_at = utcnow()
    event.sequence += 1
    audit.record(actor, "event.cancelled", "event", event.id, f"cancelled “{event.title}”")
    _tell_registered(event, "event_cancelled", message=message)


def complete(actor: Actor, event: Event) -> None:
    policy.require_manage_event(actor, event)
    if event.status is not EventStatus.PUBLISHED or event.ends_at > utcnow():
        raise Conflict(str(_l("Only a published event that has ended can be completed.")))
    event.status, event.completed_at = EventStatus.COMPLETED, utcnow()
    audit.record(actor, "event.completed", "event", event.id, f"completed “{event.title}”")


def complete_ended(now: datetime | None = None) -> int:
    """Mark published events that have ended as completed; returns how many."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now)
    ).all()
    for event in events:
        event.status, event.completed_at = EventStatus.COMPLETED, now
        audit.record(None, "event.completed", "event", event.id, f"completed “{event.title}”")
    return len(events)


def _tell_registered(event: Event, template: str, **context) -> None:
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES)
        )
    ).all()
    for registration in registrations:
        mail_registrant(registration, template, **context)


# The front page and the event's image ------------------------------------------------


def upcoming_events(limit: int = 5) -> list[Event]:
    """The next published events that have not ended, soonest first."""
    return db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    ).all()


MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def image_kind(data: bytes) -> str | None:
    """ "png", "jpg" or "webp" from the file's first bytes (never from its name)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def upload_folder() -> Path:
    """Where uploaded files live: UPLOAD_FOLDER, or `uploads` in the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def store_event_image(actor: Actor, event: Event, data: bytes) -> str | None:
    """Check and store the event's image (PNG, JPEG or WebP, at most 2 MB).

    The file gets a new name each time, so nothing is overwritten before the change is
    committed; returns the previous file's name, for the caller to delete after commit.
    """
    policy.require_manage_event(actor, event)
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            str(_l("The image is too large.")),
            {"image": [str(_l("Choose an image of at most 2 MB."))]},
        )
    kind = image_kind(data)
    if kind is None:
        raise InvalidInput(
            str(_l("This file is not an image convene accepts.")),
            {"image": [str(_l("Choose a PNG, JPEG or WebP image."))]},
        )
    name = f"events/{event.id}-{secrets.token_hex(8)}.{kind}"
    path = upload_folder() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    previous, event.image_path = event.image_path, name
    return previous


def delete_image_file(name: str | None) -> None:
    """Remove a stored image that nothing refers to any more."""
    if name:
        (upload_folder() / name).unlink(missing_ok=True)


def image_content_type(name: str) -> str:
    return IMAGE_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
