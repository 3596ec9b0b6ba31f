"""iCalendar feeds (RFC 5545), built with the `icalendar` package in this one package.

What each module does (they import each other, never this package):
  entries   the VEVENTs: an event, a session, a person's copy of an event, a deadline;
            UIDs, ORGANIZER, LOCATION
  writing   a VCALENDAR's bytes, with a VTIMEZONE for each zone its entries use
  feeds     the public feeds, each with a cheap version() and a build()
  private   a person's private feed and its token; the copy attached to their e-mails
"""

from ..vtimezone import vtimezone
from .entries import (
    event_uid,
    event_vevent,
    organizer_address,
    real_address,
    registration_uid,
    session_uid,
    session_vevent,
)
from .feeds import (
    EventFeed,
    EventsFeed,
    FollowUpFeed,
    Version,
    _public_events_clause,
)
from .private import (
    PersonalFeed,
    feed_token,
    regenerate_feed_token,
    registration_attachment,
    revoke_feed_token,
    user_for_feed_token,
)
from .writing import calendar_bytes

__all__ = [
    "EventFeed",
    "EventsFeed",
    "FollowUpFeed",
    "PersonalFeed",
    "Version",
    "_public_events_clause",
    "calendar_bytes",
    "event_uid",
    "event_vevent",
    "feed_token",
    "organizer_address",
    "real_address",
    "regenerate_feed_token",
    "registration_attachment",
    "registration_uid",
    "revoke_feed_token",
    "session_uid",
    "session_vevent",
    "user_for_feed_token",
    "vtimezone",
]
