"""Public feeds: every event, one theme's, one event with its agenda, an event's follow-up.

A feed is described by a class: a cheap `version()` (one aggregate query) used for ETag,
Last-Modified and the cache key, and a `build()` that runs a fixed number of queries
whatever the feed's size. Every VEVENT keeps the same UID for ever; SEQUENCE is the
persisted counter raised on each change a calendar must see; cancelled things stay,
marked STATUS:CANCELLED.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Event as VEvent
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import AgendaSession, Commitment, Event, EventStatus, Theme, utcnow
from ..agenda import sessions_of
from .entries import UID_DOMAIN, deadline, event_url, event_vevent, session_vevent, text_in
from .writing import calendar_bytes, calendar_of_days

KEEP_CANCELLED = timedelta(days=60)  # at least the 30 days calendar clients need
KEEP_PAST = timedelta(days=365)


@dataclass
class Version:
    etag: str
    last_modified: datetime


# Raised whenever what a feed writes for the same data changes, so that no client keeps, and
# no cache serves, a copy written the old way under an unchanged ETag.
FEED_FORMAT = 2


def version_of(*parts) -> Version:
    """The version of a feed written from `parts`: their hash, and the newest of their times."""
    stamps = [p for p in parts if isinstance(p, datetime)]
    # The sender is every event's ORGANIZER when it has no contact of its own.
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    text = "|".join(str(p) for p in (FEED_FORMAT, sender, *parts))
    return Version(
        hashlib.sha256(text.encode()).hexdigest()[:32],
        max(stamps, default=datetime(2000, 1, 1, tzinfo=UTC)),
    )


def aware(value):
    """A time read from an aggregate (naive, or a string on SQLite) as an aware UTC one."""
    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def stamps(model, *more) -> list:
    """The columns that change whenever `model`'s rows do: how many there are, the newest
    change, then `more`."""
    return [func.count(model.id), func.max(model.updated_at), *more]


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
            self._query(stamps(Event, func.sum(Event.sequence)))
        ).one()
        return version_of(
            "events", self.theme and self.theme.id, count, aware(newest), sequences, self.locale
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
        self.name = text_in(event, "title", locale) + (
            f": {text_in(session, 'title', locale)}" if session else ""
        )

    def version(self) -> Version:
        """No query: every change to the agenda touches the event (services.agenda.touch)."""
        event, session = self.event, self.session
        parts = ["event", event.id, event.updated_at, event.sequence, self.locale]
        if session is not None:
            parts += [session.id, session.updated_at, session.sequence, session.cancelled_at]
        return version_of(*parts)

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
            self.name = _("%(title)s: follow-up deadlines", title=text_in(event, "title", locale))

    def _commitments(self, columns):
        return select(*columns).where(
            Commitment.event_id == self.event.id, Commitment.approved_at.is_not(None)
        )

    def version(self) -> Version:
        count, newest = db.session.execute(self._commitments(stamps(Commitment))).one()
        return version_of(
            "follow-up", self.event.id, self.event.updated_at, count, aware(newest), self.locale
        )

    def build(self) -> bytes:
        commitments = db.session.scalars(
            self._commitments([Commitment]).options(
                selectinload(Commitment.milestones), selectinload(Commitment.member)
            )
        ).all()
        url = event_url(self.event) + "/follow-up"
        with force_locale(self.locale or "en"):
            entries = self._entries(commitments, url)
        zone = (self.event.timezone, self.event.starts_at.year)
        return calendar_of_days(self.name, entries, zone)

    def _entries(self, commitments, url: str) -> list[VEvent]:
        locale, entries = self.locale, []
        for commitment in commitments:
            title = text_in(commitment, "title", locale)
            entries.append(
                deadline(
                    f"commitment-{commitment.id}@{UID_DOMAIN}",
                    _("Due: %(title)s (%(member)s)", title=title, member=commitment.member.name),
                    commitment.due_date,
                    text_in(commitment, "description", locale),
                    url,
                    commitment.updated_at,
                )
            )
            for milestone in commitment.milestones:
                entries.append(
                    deadline(
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
