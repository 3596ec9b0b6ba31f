"""Lists, pages, feeds and API collections issue as many SQL statements for 500 items as
for 5: anything else is an N+1 query that grows with the data (see bench/ for speed)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event

from convene.extensions import db
from convene.models import (
    Event,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
    Sector,
    User,
    utcnow,
)
from convene.services import accounts

from .factories import make_event, make_member, make_user, theme_ids

START = utcnow().replace(microsecond=0) + timedelta(days=30)


def statements(client, url: str, headers=None) -> int:
    # Once to warm up: a token's first use of the minute is written down, for example.
    assert client.get(url, headers=headers or {}).status_code == 200
    seen = []

    def listener(*args):
        seen.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url, headers=headers or {})
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen)


def add_events(n: int, theme_slug="open-justice") -> None:
    """`n` published events with a theme and a host each, in one transaction."""
    from convene.models import Theme

    theme = db.session.get(Theme, theme_ids(theme_slug)[0])
    host = make_member()
    offset = db.session.query(Event).count()
    for i in range(n):
        db.session.add(
            Event(
                slug=f"bulk-{offset + i}",
                title=f"Event {offset + i}",
                status=EventStatus.PUBLISHED,
                format=EventFormat.IN_PERSON,
                starts_at=START + timedelta(hours=i),
                ends_at=START + timedelta(hours=i + 2),
                timezone="Europe/Paris",
                city="Paris",
                country="FR",
                themes=[theme],
                hosts=[host],
            )
        )
    db.session.commit()


def add_registrations(event: Event, n: int) -> None:
    offset = db.session.query(User).count()
    for i in range(n):
        person = User(
            email=f"bulk{offset + i}@example.org",
            name=f"Person {offset + i}",
            email_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        db.session.add(
            Registration(
                event=event,
                user=person,
                status=RegistrationStatus.CONFIRMED,
                sector=Sector.CIVIL_SOCIETY,
                answers={},
                show_in_public_list=True,  # so the public list shows them all
            )
        )
    event.seats_taken = (event.seats_taken or 0) + n
    db.session.commit()


def grows(measure, add) -> tuple[int, int]:
    """Statements for 5 items, then for 500."""
    add(5)
    few = measure()
    add(495)
    return few, measure()


@pytest.mark.parametrize(
    "url", ["/events/?when=all", "/api/v1/events?per_page=100", "/calendar.ics", "/"]
)
def test_event_lists_and_feeds(client, app, url):
    few, many = grows(lambda: statements(client, url), add_events)
    assert few == many, f"{url}: {few} statements for 5 events, {many} for 500"


def test_a_themes_feed(client, app):
    few, many = grows(lambda: statements(client, "/themes/open-justice.ics"), add_events)
    assert few == many


@pytest.mark.parametrize(
    "path", ["/participants", "/participants.csv", "/api-registrations", "/attendees"]
)
def test_an_events_participants(client, app, auth, path):
    organiser = make_user(email="olga@example.org")
    event = make_event(organisers=[organiser], capacity=None, show_participants=True)
    _token, secret = accounts.create_api_token(organiser, "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    auth.sign_in(organiser.email)
    url = {
        "/participants": f"/events/{event.slug}/participants",
        "/participants.csv": f"/events/{event.slug}/participants.csv",
        "/api-registrations": f"/api/v1/events/{event.id}/registrations?per_page=100",
        "/attendees": f"/events/{event.slug}/attendees",
    }[path]

    few, many = grows(
        lambda: statements(client, url, headers), lambda n: add_registrations(event, n)
    )

    assert few == many, f"{url}: {few} statements for 5 registrations, {many} for 500"
