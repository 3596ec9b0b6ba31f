"""iCalendar feeds (RFC 5545), built with the `icalendar` package in this one module.

A feed is described by a `Feed`: a cheap `version()` (one aggregate query) used for ETag,
Last-Modified and the cache key, and a `build()` that runs a fixed number of queries
whatever the feed's size. Every VEVENT keeps the same UID for ever; SEQUENCE is the
persisted counter raised on each change a calendar must see; cancelled things stay,
marked STATUS:CANCELLED.

One version of each thing: an entry's SEQUENCE and LAST-MODIFIED are functions of the
stored rows alone, written the same by every feed and attachment, and both only rise. A
person's copy of an event (their status, their join link) is an entry of its own,
`registration-<id>`, so it never contradicts the public `event-<id>`.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from itertools import chain
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    AgendaSession,
    Commitment,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Speaker,
    Star,
    Theme,
    User,
    utcnow,
)
from ..models.registrations import new_nonce
from ..urls import external_url
from . import content
from .agenda import sessions_of
from .security import sign, signed
from .validation import country_name
from .vtimezone import vtimezone

PRODID = "-//convene//thematic events//EN"
# UIDs name the thing, not the host: the same event keeps its UID on any server.
UID_DOMAIN = "convene.events"
KEEP_CANCELLED = timedelta(days=60)  # at least the 30 days calendar clients need
KEEP_PAST = timedelta(days=365)


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{UID_DOMAIN}"


def session_uid(session: AgendaSession) -> str:
    return f"session-{session.id}@{UID_DOMAIN}"


def registration_uid(registration: Registration) -> str:
    """A person's own copy of an event, in their private feed and every e-mail to them."""
    return f"registration-{registration.id}@{UID_DOMAIN}"


# Building blocks -----------------------------------------------------------------------


# Hosts that no mail reaches, whatever the network (RFC 2606, RFC 6761, RFC 6762).
PLACEHOLDER_HOSTS = ("localhost", "localdomain", "local", "invalid", "internal")


def real_address(value: str | None) -> str | None:
    """The e-mail address in `value` ("Name <a@b.org>" or "a@b.org"), or None when there is
    none or its host is a placeholder (no-reply@localhost, a host without a dot)."""
    _name, address = parseaddr(value or "")
    _local, at, host = address.rpartition("@")
    host = host.lower().rstrip(".")
    if not (_local and at and "." in host) or host.rsplit(".", 1)[-1] in PLACEHOLDER_HOSTS:
        return None
    return address


def organizer_address(event: Event) -> str | None:
    """Who calendars name as the event's ORGANIZER: its public contact, else the configured
    sender; None (ORGANIZER left out) when neither is a real address."""
    return real_address(event.contact_email) or real_address(
        current_app.config["MAIL_DEFAULT_SENDER"]
    )


def _organizer(event: Event) -> vCalAddress | None:
    address = organizer_address(event)
    return _organizer_for(address, ", ".join(h.name for h in event.hosts)) if address else None


@lru_cache(maxsize=512)
def _organizer_for(address: str, hosts: str) -> vCalAddress:
    """Shared by every entry of an event: built once, not once per session."""
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(hosts or "convene")
    return organizer


def _event_url(event: Event) -> str:
    return _event_url_for(current_app.config["BASE_URL"], event.slug)


@lru_cache(maxsize=4096)
def _event_url_for(_base_url: str, slug: str) -> str:
    return external_url("events.detail", slug=slug)


def _location(event: Event, room: str | None = None) -> str:
    if event.format.value == "online" and not room:
        return "Online"
    parts = [
        room,
        event.venue,
        event.address,
        event.city,
        country_name(event.country) if event.country else None,
    ]
    return ", ".join(p for p in parts if p) or "Online"


def _stamp(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


def _vevent(
    uid,
    title,
    starts,
    ends,
    tz,
    description,
    location,
    url,
    categories,
    organizer,
    modified,
    sequence,
    status,
) -> VEvent:
    zone = ZoneInfo(tz)
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", _stamp(modified))
    vevent.add("dtstart", starts.astimezone(zone).replace(microsecond=0))
    vevent.add("dtend", ends.astimezone(zone).replace(microsecond=0))
    vevent.add("summary", title)
    vevent.add("description", description)
    vevent.add("location", location)
    vevent.add("url", url)
    if categories:
        vevent.add("categories", categories)
    if organizer is not None:
        vevent.add("organizer", organizer)
    vevent.add("last-modified", _stamp(modified))
    vevent.add("sequence", sequence)
    vevent.add("status", status)
    return vevent


def _text(item, field: str, locale: str | None) -> str:
    """A title or description in `locale` where translated (the original without one)."""
    if locale is None:
        return getattr(item, field) or ""
    return content.shown(item, field, locale).text


def event_vevent(
    event: Event,
    status: str | None = None,
    online_url: str | None = None,
    registration: Registration | None = None,
    locale: str | None = None,
):
    """The event as a VEVENT, or as `registration`'s own copy of it (its own UID, whose
    SEQUENCE and LAST-MODIFIED rise with the event's and the registration's changes).
    Labels are in the active locale; titles and descriptions in `locale` if translated."""
    url = _event_url(event)
    lines = [_text(event, "description", locale).strip(), ""]
    if event.languages:
        lines.append(_("Languages: %(list)s", list=", ".join(event.languages)))
    if online_url:
        lines.append(_("Join online: %(url)s", url=online_url))
    lines.append(url)
    if status is None:
        status = "CANCELLED" if event.status is EventStatus.CANCELLED else "CONFIRMED"
    uid, modified, sequence = event_uid(event), event.updated_at, event.sequence
    if registration is not None:
        uid = registration_uid(registration)
        modified = max(modified, registration.updated_at)
        sequence += registration.sequence
    return _vevent(
        uid,
        _text(event, "title", locale),
        event.starts_at,
        event.ends_at,
        event.timezone,
        "\n".join(lines).strip(),
        _location(event),
        url,
        [t.name_en for t in event.themes],
        _organizer(event),
        modified,
        sequence,
        status,
    )


def session_vevent(
    session: AgendaSession,
    event: Event,
    online_url: str | None = None,
    status: str | None = None,
    locale: str | None = None,
):
    url = _event_url(event) + f"/agenda#session-{session.id}"
    lines = [_text(session, "description", locale).strip(), ""]
    if session.speakers:
        names = "; ".join(
            f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in session.speakers
        )
        lines.append(_("Speakers: %(list)s", list=names))
    if session.languages:
        languages = ", ".join(session.languages)
        if session.interpretation:
            lines.append(_("Languages: %(list)s (with interpretation)", list=languages))
        else:
            lines.append(_("Languages: %(list)s", list=languages))
    if online_url:
        lines.append(_("Join online: %(url)s", url=online_url))
    lines.append(url)
    cancelled = session.cancelled_at is not None or event.status is EventStatus.CANCELLED
    status = status or ("CANCELLED" if cancelled else "CONFIRMED")
    return _vevent(
        session_uid(session),
        f"{_text(session, 'title', locale)} · {_text(event, 'title', locale)}",
        session.starts_at,
        session.ends_at,
        event.timezone,
        "\n".join(lines).strip(),
        _location(event, session.room),
        url,
        [session.theme.name_en] if session.theme else [],
        _organizer(event),
        # Its SEQUENCE rises with the event's too: so must its LAST-MODIFIED.
        max(session.updated_at, event.updated_at),
        session.sequence + event.sequence,
        status,
    )


def _one_line(text: str) -> str:
    """A calendar's name is one line: a stored line break must not start a property."""
    return " ".join((text or "").split())


def calendar_bytes(
    name: str, vevents, method: str | None = None, zone: tuple[str, int] = ("UTC", 2000)
) -> bytes:
    """A VCALENDAR of `vevents` ((component, its timezone), any iterable) with a VTIMEZONE
    for every TZID used, covering the years the feed spans; never without a component.

    Each entry is written out as soon as it is made, so a feed of 10,000 sessions never
    holds 10,000 components in memory, only their bytes; the VTIMEZONEs, the same in every
    feed, are kept written out. Without entries, the VTIMEZONE of `zone` (name, year) is
    the calendar's one component."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", vText(_one_line(name)))
    spans: dict[str, tuple[date, date]] = {}
    entries = []
    for vevent, tz in vevents:
        start, end = vevent.decoded("dtstart").date(), vevent.decoded("dtend").date()
        first, last = spans.get(tz, (start, end))
        spans[tz] = (min(first, start), max(last, end))
        entries.append(vevent.to_ical())
    head = calendar.to_ical()
    assert head.endswith(END_OF_CALENDAR)  # noqa: S101 # nosec B101 # what icalendar writes
    zones = [
        _vtimezone_bytes(tz, date(first.year, 1, 1), date(last.year + 1, 1, 1))
        for tz, (first, last) in sorted(spans.items())
    ] or [_placeholder(zone)]
    return b"".join([head[: -len(END_OF_CALENDAR)], *zones, *entries, END_OF_CALENDAR])


def _placeholder(zone: tuple[str, int]) -> bytes:
    """What an empty calendar holds: RFC 5545 §3.6 wants at least one component and strict
    parsers refuse a VCALENDAR without; a VTIMEZONE is one that every client reads and
    none shows."""
    tz, year = zone
    return _vtimezone_bytes(tz, date(year, 1, 1), date(year + 1, 1, 1))


END_OF_CALENDAR = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=256)
def _vtimezone_bytes(tz: str, first: date, last: date) -> bytes:
    return vtimezone(tz, first, last).to_ical()


# Feeds ---------------------------------------------------------------------------------


@dataclass
class Version:
    etag: str
    last_modified: datetime


# Raised whenever what a feed writes for the same data changes, so that no client keeps, and
# no cache serves, a copy written the old way under an unchanged ETag.
FEED_FORMAT = 2


def _version(*parts) -> Version:
    stamps = [p for p in parts if isinstance(p, datetime)]
    # The sender is every event's ORGANIZER when it has no contact of its own.
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    text = "|".join(str(p) for p in (FEED_FORMAT, sender, *parts))
    return Version(
        hashlib.sha256(text.encode()).hexdigest()[:32],
        max(stamps, default=datetime(2000, 1, 1, tzinfo=UTC)),
    )


def _aware(value):
    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def _public_events_clause(now: datetime):
    return or_(
        (Event.status.in_([EventStatus.PUBLISHED, EventStatus.COMPLETED]))
        & (Event.ends_at >= now - KEEP_PAST),
        (Event.status == EventStatus.CANCELLED) & (Event.cancelled_at >= now - KEEP_CANCELLED),
    )


class EventsFeed:
    """All published events (/calendar.ics), or one theme's (/themes/<slug>.ics)."""

    def __init__(self, theme: Theme | None = None, locale: str | None = None):
        self.theme, self.locale = theme, locale
        self.name = f"convene: {theme.name_en}" if theme else "convene: thematic events"

    def _query(self, columns):
        query = select(*columns).where(_public_events_clause(utcnow()))
        if self.theme is not None:
            ids = [self.theme.id, *(c.id for c in self.theme.children)]
            query = query.where(Event.themes.any(Theme.id.in_(ids)))
        return query

    def version(self) -> Version:
        count, newest, sequences = db.session.execute(
            self._query(
                [func.count(Event.id), func.max(Event.updated_at), func.sum(Event.sequence)]
            )
        ).one()
        return _version(
            "events", self.theme and self.theme.id, count, _aware(newest), sequences, self.locale
        )

    def build(self) -> bytes:
        events = db.session.scalars(
            self._query([Event])
            .options(selectinload(Event.themes), selectinload(Event.hosts))
            .order_by(Event.starts_at)
        )
        with force_locale(self.locale or "en"):
            vevents = ((event_vevent(e, locale=self.locale), e.timezone) for e in events)
            return calendar_bytes(self.name, vevents)


class EventFeed:
    """One event and every session of its agenda (/events/<slug>.ics)."""

    def __init__(
        self, event: Event, session: AgendaSession | None = None, locale: str | None = None
    ):
        self.event, self.session, self.locale = event, session, locale
        self.name = _text(event, "title", locale) + (
            f": {_text(session, 'title', locale)}" if session else ""
        )

    def version(self) -> Version:
        """No query: every change to the agenda touches the event (services.agenda.touch)."""
        event, session = self.event, self.session
        parts = ["event", event.id, event.updated_at, event.sequence, self.locale]
        if session is not None:
            parts += [session.id, session.updated_at, session.sequence, session.cancelled_at]
        return _version(*parts)

    def build(self) -> bytes:
        event, locale = self.event, self.locale
        with force_locale(locale or "en"):
            if self.session is not None:
                vevents = [(session_vevent(self.session, event, locale=locale), event.timezone)]
            else:
                sessions = (
                    (session_vevent(s, event, locale=locale), event.timezone)
                    for s in sessions_of(event)
                )
                vevents = chain([(event_vevent(event, locale=locale), event.timezone)], sessions)
            return calendar_bytes(self.name, vevents)


class FollowUpFeed:
    """An event's follow-up deadlines (/events/<slug>/follow-up.ics): each approved
    commitment's due date and its milestones, as all-day entries."""

    def __init__(self, event: Event, locale: str | None = None):
        self.event, self.locale = event, locale
        with force_locale(locale or "en"):
            self.name = _("%(title)s: follow-up deadlines", title=_text(event, "title", locale))

    def _commitments(self, columns):
        return select(*columns).where(
            Commitment.event_id == self.event.id, Commitment.approved_at.is_not(None)
        )

    def version(self) -> Version:
        count, newest = db.session.execute(
            self._commitments([func.count(Commitment.id), func.max(Commitment.updated_at)])
        ).one()
        return _version(
            "follow-up", self.event.id, self.event.updated_at, count, _aware(newest), self.locale
        )

    def build(self) -> bytes:
        commitments = db.session.scalars(
            self._commitments([Commitment]).options(
                selectinload(Commitment.milestones), selectinload(Commitment.member)
            )
        ).all()
        url = _event_url(self.event) + "/follow-up"
        with force_locale(self.locale or "en"):
            entries = self._entries(commitments, url)
        zone = (self.event.timezone, self.event.starts_at.year)
        return _calendar_of_days(self.name, entries, zone)

    def _entries(self, commitments, url: str) -> list[VEvent]:
        locale, entries = self.locale, []
        for commitment in commitments:
            title = _text(commitment, "title", locale)
            entries.append(
                _deadline(
                    f"commitment-{commitment.id}@{UID_DOMAIN}",
                    _("Due: %(title)s (%(member)s)", title=title, member=commitment.member.name),
                    commitment.due_date,
                    _text(commitment, "description", locale),
                    url,
                    commitment.updated_at,
                )
            )
            for milestone in commitment.milestones:
                entries.append(
                    _deadline(
                        f"milestone-{milestone.id}@{UID_DOMAIN}",
                        _(
                            "Milestone: %(title)s · %(commitment)s",
                            title=milestone.title,
                            commitment=title,
                        ),
                        milestone.due_date,
                        "",
                        url,
                        commitment.updated_at,
                    )
                )
        return entries


def _deadline(uid, title, day, description, url, modified) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", _stamp(modified))
    vevent.add("dtstart", day)
    vevent.add("dtend", day + timedelta(days=1))
    vevent.add("summary", title)
    vevent.add("description", "\n".join(p for p in (description.strip(), url) if p))
    vevent.add("url", url)
    vevent.add("last-modified", _stamp(modified))
    vevent.add("transp", "TRANSPARENT")
    return vevent


def _calendar_of_days(name: str, vevents: list[VEvent], zone: tuple[str, int]) -> bytes:
    """A VCALENDAR of all-day entries: dates need no VTIMEZONE, but a calendar without
    entries holds that of `zone` (name, year) as its one component."""
    calendar = Calendar()
    for key, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", vText(_one_line(name))),
    ):
        calendar.add(key, value)
    for vevent in vevents:
        calendar.add_component(vevent)
    if not vevents:
        return calendar.to_ical()[: -len(END_OF_CALENDAR)] + _placeholder(zone) + END_OF_CALENDAR
    return calendar.to_ical()


# Private feeds ---------------------------------------------------------------------------


def feed_token(user: User) -> str | None:
    """The secret in a person's feed address, or None when they have no feed."""
    if not user.calendar_nonce:
        return None
    return f"{user.id}-" + sign(_feed_message(user))


def _feed_message(user: User) -> str:
    return f"calendar:{user.id}:{user.calendar_nonce}"


def regenerate_feed_token(user: User) -> str:
    """A new feed address; the old one stops working at once."""
    user.calendar_nonce = new_nonce()
    return feed_token(user)


def revoke_feed_token(user: User) -> None:
    user.calendar_nonce = None


def user_for_feed_token(token: str) -> User | None:
    """The person whose feed `token` opens; None for a malformed, old or revoked token.

    An address signed with a key now in SECRET_KEY_FALLBACKS still opens: subscribed
    calendars survive a key rotation."""
    user_id, _sep, signature = (token or "").partition("-")
    if not user_id.isdigit() or len(token) > 100:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not user.calendar_nonce:
        return None
    return user if signed(_feed_message(user), signature) else None


class PersonalFeed:
    """A person's events (confirmed, or tentative while waiting), starred sessions and the
    sessions they speak in; join links only where they are confirmed."""

    def __init__(self, user: User):
        self.user = user
        self.name = "convene: my agenda"

    def _registrations_query(self, columns):
        since = utcnow() - KEEP_CANCELLED
        return select(*columns).where(
            Registration.user_id == self.user.id,
            or_(
                Registration.status.in_(
                    [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
                ),
                (Registration.status == RegistrationStatus.CANCELLED)
                & (Registration.cancelled_at >= since),
            ),
        )

    def _sessions_query(self, columns):
        return select(*columns).where(
            or_(
                AgendaSession.id.in_(select(Star.session_id).where(Star.user_id == self.user.id)),
                AgendaSession.id.in_(
                    select(Speaker.session_id).where(Speaker.user_id == self.user.id)
                ),
            )
        )

    def version(self) -> Version:
        registrations = db.session.execute(
            self._registrations_query(
                [
                    func.count(Registration.id),
                    func.max(Registration.updated_at),
                    func.max(Event.updated_at),
                    func.sum(Event.sequence),
                ]
            ).join(Event)
        ).one()
        # A session's entry changes with its event too (SEQUENCE, LAST-MODIFIED, status).
        sessions = db.session.execute(
            self._sessions_query(
                [
                    func.count(AgendaSession.id),
                    func.max(AgendaSession.updated_at),
                    func.sum(AgendaSession.sequence),
                    func.max(Event.updated_at),
                ]
            ).join(Event, AgendaSession.event_id == Event.id)
        ).one()
        return _version(
            "personal",
            self.user.id,
            self.user.calendar_nonce,
            self.user.locale,
            *[
                _aware(v) if not isinstance(v, int | None) else v
                for v in (*registrations, *sessions)
            ],
        )

    def build(self) -> bytes:
        registrations = db.session.scalars(
            self._registrations_query([Registration]).options(
                selectinload(Registration.event).selectinload(Event.themes),
                selectinload(Registration.event).selectinload(Event.hosts),
            )
        ).all()
        sessions = db.session.scalars(
            self._sessions_query([AgendaSession]).options(
                selectinload(AgendaSession.speakers),
                selectinload(AgendaSession.theme),
                selectinload(AgendaSession.event).selectinload(Event.hosts),
            )
        ).all()
        confirmed = {r.event_id for r in registrations if r.status is RegistrationStatus.CONFIRMED}
        # A person's own feed speaks their language.
        with force_locale(self.user.locale or "en"):
            vevents = self._vevents(registrations, sessions, confirmed)
        return calendar_bytes(self.name, vevents)

    def _vevents(self, registrations, sessions, confirmed) -> list:
        locale, vevents = self.user.locale, []
        for registration in registrations:
            event = registration.event
            status = {
                RegistrationStatus.CONFIRMED: None,
                RegistrationStatus.WAITLISTED: "TENTATIVE",
            }.get(registration.status, "CANCELLED")
            if event.status is EventStatus.CANCELLED:
                status = "CANCELLED"
            link = event.online_url if event.id in confirmed else None
            vevents.append(
                (event_vevent(event, status, link, registration, locale), event.timezone)
            )
        for session in sessions:
            event = session.event
            link = (session.online_url or event.online_url) if event.id in confirmed else None
            vevents.append((session_vevent(session, event, link, locale=locale), event.timezone))
        return vevents


def registration_attachment(registration: Registration) -> tuple[str, str, str]:
    """The person's copy of the event as an .ics attachment for a registration e-mail, the
    same entry as in their private feed: with the join link when confirmed,
    STATUS:CANCELLED when the registration or event is. METHOD:PUBLISH when the event has
    an ORGANIZER, which RFC 5546 requires of it; else a plain calendar object."""
    # The copy is of the rows as stored: their ids, and updated_at as the flush sets it.
    db.session.flush()
    event = registration.event
    cancelled = (
        registration.status is not RegistrationStatus.CONFIRMED
        and registration.status is not RegistrationStatus.WAITLISTED
    ) or event.status is EventStatus.CANCELLED
    status = (
        "CANCELLED"
        if cancelled
        else ("TENTATIVE" if registration.status is RegistrationStatus.WAITLISTED else "CONFIRMED")
    )
    link = event.online_url if status == "CONFIRMED" else None
    locale = registration.user.locale
    with force_locale(locale or "en"):
        vevent = event_vevent(event, status, link, registration, locale)
    name = _text(event, "title", locale)
    method = "PUBLISH" if "organizer" in vevent else None
    body = calendar_bytes(name, [(vevent, event.timezone)], method=method)
    return (f"{event.slug}.ics", "text/calendar", body.decode())
