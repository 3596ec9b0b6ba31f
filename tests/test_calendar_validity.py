"""Every calendar convene can write passes strict RFC 5545 validation and opens in client
libraries (tests/icalcheck.py), in every state: no events, only cancelled ones, an event
without sessions, a follow-up without commitments, a new account's private feed, the
e-mail attachments, and the demo's feeds. The feeds are found in the URL map, so a feed
added later fails here until this file knows how to fill its address."""

from datetime import timedelta

import icalendar
import pytest
from flask import url_for

from convene.extensions import db
from convene.models import AgendaSession, Event, Registration, Theme, User, utcnow
from convene.services import agenda, calendars, followup
from convene.services import events as event_service
from convene.services import registration as reg

from .factories import make_event, make_member, make_user, registration_input
from .icalcheck import assert_valid, rules

# Endpoints of the calendars blueprint that answer a page or a form, not a calendar.
NOT_FEEDS = {"calendars.my_calendar", "calendars.regenerate", "calendars.revoke"}


def feed_rules(app) -> list:
    """Every GET rule whose answer is a calendar: an .ics address, or any GET address of
    the calendars blueprint that is not one of its known pages."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_FEEDS:
            continue
        if rule.rule.endswith(".ics") or rule.endpoint.startswith("calendars."):
            found.append(rule)
    return found


class World:
    """One of each state a feed can be in, made through the services."""

    def __init__(self):
        today = utcnow().replace(microsecond=0)
        self.organiser = make_user(name="Olga Organiser")
        by_slug = {t.slug: t for t in db.session.query(Theme)}
        self.empty_theme = by_slug["youth"]  # no event at all
        self.cancelled_theme = by_slug["local"]  # only a cancelled event
        self.busy_theme = by_slug["open-justice"]
        self.full = make_event(
            title="Open Justice Days",
            organisers=[self.organiser],
            timezone="Europe/Paris",
            online_url="https://meet.example.org/secret",
            capacity=1,
            themes=[self.busy_theme],
        )
        self.bare = make_event(  # no session, no commitment
            title="Bare event", timezone="America/Santiago", themes=[self.busy_theme]
        )
        self.called_off = make_event(
            title="Called off", organisers=[self.organiser], themes=[self.cancelled_theme]
        )
        event_service.cancel_event(self.organiser, self.called_off, "Sorry.")
        start = self.full.starts_at.replace(tzinfo=None)
        self.session = agenda.create_session(
            self.organiser,
            self.full,
            agenda.SessionInput(
                title="Courts online",
                kind="workshop",
                starts_at=start + timedelta(hours=1),
                ends_at=start + timedelta(hours=2),
                room="Salle 2",
                languages=["fr"],
                speakers=[agenda.SpeakerInput(name="Élodie Brun", affiliation="Tribunal")],
            ),
        )
        self.cancelled_session = agenda.create_session(
            self.organiser,
            self.full,
            agenda.SessionInput(
                title="Dropped",
                kind="panel",
                starts_at=start + timedelta(hours=3),
                ends_at=start + timedelta(hours=4),
            ),
        )
        agenda.cancel_session(self.organiser, self.cancelled_session)
        member = make_member(name="Government of Testland")
        followup.create_commitment(
            self.organiser,
            self.full,
            followup.CommitmentInput(
                member_id=member.id,
                title="Publish decisions",
                due_date=today.date() + timedelta(days=200),
                milestones=[("Pilot court", today.date() + timedelta(days=100))],
            ),
        )
        db.session.commit()
        self.newcomer = make_user(name="New Comer")  # a private feed with nothing in it
        self.confirmed, self.waiting, self.leaving = make_user(), make_user(), make_user()
        self.confirmed.locale = "fr"
        self.registrations = []
        for person in (self.confirmed, self.waiting):
            self.registrations.append(
                reg.register(self.full, registration_input(), actor=person)[0]
            )
        gone, _ = reg.register(self.bare, registration_input(), actor=self.leaving)
        reg.cancel(gone)
        self.registrations.append(gone)
        agenda.star(self.confirmed, self.session)
        db.session.commit()
        self.tokens = {
            p.id: calendars.regenerate_feed_token(p)
            for p in (self.newcomer, self.confirmed, self.waiting, self.leaving)
        }
        db.session.commit()


# How to fill each feed's address, and how many entries each answer holds (None: any).
FILLERS = {
    "calendars.all_events": lambda w: [({}, 3)],
    "calendars.theme": lambda w: [
        ({"slug": w.empty_theme.slug}, 0),
        ({"slug": w.cancelled_theme.slug}, 1),
        ({"slug": w.busy_theme.slug}, 2),
        ({"slug": "open-state"}, 2),  # a parent: its sub-themes' events
    ],
    "calendars.event": lambda w: [
        ({"slug": w.full.slug}, 3),
        ({"slug": w.bare.slug}, 1),
        ({"slug": w.called_off.slug}, 1),
    ],
    "calendars.session": lambda w: [
        ({"slug": w.full.slug, "session_id": w.session.id}, 1),
        ({"slug": w.full.slug, "session_id": w.cancelled_session.id}, 1),
    ],
    "calendars.follow_up": lambda w: [
        ({"slug": w.full.slug}, 2),
        ({"slug": w.bare.slug}, 0),
        ({"slug": w.called_off.slug}, 0),
    ],
    "calendars.personal": lambda w: [
        ({"token": w.tokens[w.newcomer.id]}, 0),
        ({"token": w.tokens[w.confirmed.id]}, 2),
        ({"token": w.tokens[w.waiting.id]}, 1),
        ({"token": w.tokens[w.leaving.id]}, 1),
    ],
}


def fetch_every_feed(app, client, fillers) -> dict[str, bytes]:
    """{address: calendar} for every feed rule, filled with each of `fillers[endpoint]`
    ((arguments, entries expected), ...), in the original language and in French; fails on
    a feed rule `fillers` does not know."""
    unknown = [r.rule for r in feed_rules(app) if r.endpoint not in fillers]
    assert not unknown, f"feeds this test cannot fill yet, teach it: {unknown}"
    answers = {}
    for rule in feed_rules(app):
        for values, _count in fillers[rule.endpoint]:
            for lang in (None, "fr"):
                with app.test_request_context():
                    address = url_for(rule.endpoint, **values, **({"lang": lang} if lang else {}))
                response = client.get(address)
                assert response.status_code == 200, address
                assert response.mimetype == "text/calendar", address
                answers[address] = response.data
    return answers


@pytest.fixture
def world(app):
    return World()


def test_the_feed_rules_are_the_calendars_of_the_url_map(app):
    endpoints = {r.endpoint for r in feed_rules(app)}
    assert {"calendars.all_events", "calendars.personal", "calendars.follow_up"} <= endpoints
    assert not endpoints & NOT_FEEDS


def test_every_feed_in_every_state_is_valid_and_shows_what_it_holds(app, client, world):
    fillers = {endpoint: fill(world) for endpoint, fill in FILLERS.items()}
    reports = assert_valid(fetch_every_feed(app, client, fillers))
    expected = {}
    for rule in feed_rules(app):
        for values, count in fillers[rule.endpoint]:
            with app.test_request_context():
                expected[url_for(rule.endpoint, **values)] = count
    for address, count in expected.items():
        assert len(reports[address].uids) == count, address
        assert len(reports[address + ("&" if "?" in address else "?") + "lang=fr"].uids) == count


def test_every_registration_attachment_is_valid(app, world):
    attachments = {}
    for registration in db.session.query(Registration):
        for locale in (None, "fr", "es"):
            registration.user.locale = locale
            name, kind, body = calendars.registration_attachment(registration)
            assert kind == "text/calendar" and name.endswith(".ics")
            attachments[f"registration {registration.id} ({locale})"] = body
    db.session.rollback()
    reports = assert_valid(attachments)
    assert all(len(r.uids) == 1 for r in reports.values())


def test_the_own_rules_catch_an_empty_calendar_and_a_missing_timezone():
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
    assert rules(head + "END:VCALENDAR\r\n") == [
        "a VCALENDAR must hold at least one component (§3.6)"
    ]
    event = (
        "BEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20270101T100000\r\nEND:VEVENT\r\n"
    )
    assert rules(head + event + "END:VCALENDAR\r\n") == [
        "TZID Europe/Paris has no VTIMEZONE (§3.2.19)"
    ]


def test_every_feed_the_demo_offers_is_valid(app, client):
    from convene.demo import load_demo

    load_demo()
    db.session.commit()
    public = db.session.scalars(
        db.select(Event).where(calendars._public_events_clause(utcnow()))
    ).all()
    sessions = db.session.scalars(
        db.select(AgendaSession).where(AgendaSession.event_id.in_([e.id for e in public]))
    ).all()
    people = db.session.scalars(db.select(User)).all()
    tokens = [calendars.regenerate_feed_token(p) for p in people]
    db.session.commit()
    demo = {
        "calendars.all_events": [({}, None)],
        "calendars.theme": [({"slug": t.slug}, None) for t in db.session.query(Theme)],
        "calendars.event": [({"slug": e.slug}, None) for e in public],
        "calendars.session": [({"slug": s.event.slug, "session_id": s.id}, 1) for s in sessions],
        "calendars.follow_up": [({"slug": e.slug}, None) for e in public],
        "calendars.personal": [({"token": t}, None) for t in tokens],
    }
    answers = fetch_every_feed(app, client, demo)
    attachments = {
        f"attachment of registration {r.id}": calendars.registration_attachment(r)[2]
        for r in db.session.query(Registration)
    }
    assert len(answers) > 50 and attachments
    assert_valid(answers | attachments)
    # The demo's events have a public contact: calendars name it, never a placeholder.
    listed = icalendar.Calendar.from_ical(answers["/calendar.ics"]).walk("VEVENT")
    assert listed and all(
        calendars.real_address(str(item["organizer"]).removeprefix("mailto:")) for item in listed
    )
