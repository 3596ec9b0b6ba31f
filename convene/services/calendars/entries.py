"""Calendar entries (VEVENTs): an event, a session, a person's copy of an event, a deadline.

One version of each thing: an entry's SEQUENCE and LAST-MODIFIED are functions of the
stored rows alone, written the same by every feed and attachment, and both only rise. A
person's copy of an event (their status, their join link) is an entry of its own,
`registration-<id>`, so it never contradicts the public `event-<id>`.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Event as VEvent
from icalendar import vCalAddress, vText

from ...models import AgendaSession, Event, EventStatus, Registration
from ...urls import external_url
from .. import content
from ..validation import country_name

# UIDs name the thing, not the host: the same event keeps its UID on any server.
UID_DOMAIN = "convene.events"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{UID_DOMAIN}"


def session_uid(session: AgendaSession) -> str:
    return f"session-{session.id}@{UID_DOMAIN}"


def registration_uid(registration: Registration) -> str:
    """A person's own copy of an event, in their private feed and every e-mail to them."""
    return f"registration-{registration.id}@{UID_DOMAIN}"


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


def event_url(event: Event) -> str:
    """The event's page, as calendars link to it."""
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


def text_in(item, field: str, locale: str | None) -> str:
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
    url = event_url(event)
    lines = [text_in(event, "description", locale).strip(), ""]
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
        text_in(event, "title", locale),
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
    *,
    online_url: str | None = None,
    locale: str | None = None,
):
    """A session of `event`'s agenda as a VEVENT; its SEQUENCE and LAST-MODIFIED rise with
    the event's changes too."""
    url = event_url(event) + f"/agenda#session-{session.id}"
    lines = [text_in(session, "description", locale).strip(), ""]
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
    status = "CANCELLED" if cancelled else "CONFIRMED"
    return _vevent(
        session_uid(session),
        f"{text_in(session, 'title', locale)} · {text_in(event, 'title', locale)}",
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


def deadline(uid, title, day, description, url, modified) -> VEvent:
    """An all-day entry on `day` that does not make its reader look busy."""
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
