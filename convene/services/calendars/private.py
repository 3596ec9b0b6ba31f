"""A person's own calendar: their private feed, opened by a signed token, and the copy of
an event attached to their registration e-mails."""

from flask_babel import force_locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    AgendaSession,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Speaker,
    Star,
    User,
    utcnow,
)
from ...models.registrations import new_nonce
from ..security import sign, signed
from .entries import event_vevent, session_vevent, text_in
from .feeds import KEEP_CANCELLED, Version, aware, stamps, version_of
from .writing import calendar_bytes


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
        registrations = self._registrations_query(
            stamps(Registration, func.max(Event.updated_at), func.sum(Event.sequence))
        ).join(Event)
        # A session's entry changes with its event too (SEQUENCE, LAST-MODIFIED, status).
        sessions = self._sessions_query(
            stamps(AgendaSession, func.sum(AgendaSession.sequence), func.max(Event.updated_at))
        ).join(Event, AgendaSession.event_id == Event.id)
        values = [*db.session.execute(registrations).one(), *db.session.execute(sessions).one()]
        return version_of(
            "personal",
            self.user.id,
            self.user.calendar_nonce,
            self.user.locale,
            *[aware(v) if not isinstance(v, int | None) else v for v in values],
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
            vevents.append(
                (session_vevent(session, event, online_url=link, locale=locale), event.timezone)
            )
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
    name = text_in(event, "title", locale)
    method = "PUBLISH" if "organizer" in vevent else None
    body = calendar_bytes(name, [(vevent, event.timezone)], method=method)
    return (f"{event.slug}.ics", "text/calendar", body.decode())
