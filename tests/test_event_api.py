"""/api/v1/events and registrations: finding, managing, registering and cancelling.

Answers are checked against the OpenAPI document the app serves, as in test_api.py.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene.extensions import db, limiter
from convene.models import (
    Event,
    EventQuestion,
    EventStatus,
    Member,
    OutboxMessage,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Theme,
    User,
    utcnow,
)
from convene.services import accounts
from convene.services import registration as reg

from .conftest import outbox_to
from .dates import SATURDAY, SUNDAY, day, utc
from .factories import Cast, make_event, make_member, make_user
from .factories import registration_input as reg_input
from .test_api import assert_documented, assert_error

API = "/api/v1"


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


@pytest.fixture
def cast(app):
    return Cast()


def bearer(person) -> dict:
    _token, secret = accounts.create_api_token(person, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def theme(slug: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def signed_up(event, person, **changes) -> Registration:
    registration, _new = reg.register(event, reg_input(**changes), actor=person)
    db.session.commit()
    return registration


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


# Finding events ---------------------------------------------------------------------


@pytest.fixture
def listed(app):
    """Events of every kind, from the soonest: Paris, Nairobi (online), a cancelled one;
    and a past one and a draft that the public list leaves out."""
    organiser = make_user(name="Olga Organiser")
    return {
        "organiser": organiser,
        "paris": make_event(
            "Open Justice Forum", days=10, themes=[theme("open-justice")], country="FR"
        ),
        "nairobi": make_event(
            "Youth and open data",
            days=20,
            timezone="Africa/Nairobi",
            city="Nairobi",
            country="KE",
            format="online",
            themes=[theme("youth")],
        ),
        "cancelled": make_event("Cancelled summit", days=30, status="cancelled"),
        "past": make_event("Last year's forum", days=-400, status="completed"),
        "draft": make_event("Secret draft", days=5, status="draft", organisers=[organiser]),
    }


def test_the_public_list_shows_upcoming_public_events_in_date_order(client, listed, spec):
    response = client.get(f"{API}/events")
    assert_documented(spec, "get", "/api/v1/events", response)
    assert ids(response) == [listed[k].id for k in ("paris", "nairobi", "cancelled")]
    assert (response.json["total"], response.json["page"], response.json["per_page"]) == (3, 1, 50)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"theme": "open-state"}, ["paris"]),  # a sub-theme matches its parent
        ({"theme": "youth"}, ["nairobi"]),
        ({"country": "ke"}, ["nairobi"]),
        ({"format": "online"}, ["nairobi"]),
        ({"q": "JUSTICE"}, ["paris"]),
        ({"q": "nairobi"}, ["nairobi"]),
        ({"when": "past"}, ["past"]),
        ({"when": "all"}, ["past", "paris", "nairobi", "cancelled"]),
        ({"q": "%"}, []),
    ],
)
def test_the_list_filters(client, listed, query, expected):
    response = client.get(f"{API}/events", query_string=query)
    assert ids(response) == [listed[k].id for k in expected]
    assert response.json["total"] == len(expected)


def test_the_list_paginates(client, listed, spec):
    second = client.get(f"{API}/events", query_string={"per_page": 2, "page": 2})
    assert_documented(spec, "get", "/api/v1/events", second)
    assert ids(second) == [listed["cancelled"].id]
    assert second.json["total"] == 3
    beyond = client.get(f"{API}/events", query_string={"per_page": 2, "page": 3})
    assert ids(beyond) == [] and beyond.json["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"when": "soon"}, "when"),
        ({"format": "paper"}, "format"),
        ({"country": "FRA"}, "country"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"per_page": 500}, "per_page"),
        ({"q": "a\x00"}, "q"),
    ],
)
def test_bad_list_queries_are_422(client, listed, spec, query, field):
    response = client.get(f"{API}/events", query_string=query)
    error = assert_error(response, 422, spec)
    assert_documented(spec, "get", "/api/v1/events", response)
    assert list(error["fields"]) == [field]


def test_a_draft_is_seen_only_by_its_organisers(client, listed, spec):
    draft, organiser = listed["draft"], listed["organiser"]
    response = client.get(f"{API}/events/{draft.id}")
    assert_error(response, 404, spec)
    assert_documented(spec, "get", "/api/v1/events/{event_id}", response)
    assert_error(client.get(f"{API}/events/{draft.id}", headers=bearer(make_user())), 404)

    mine = client.get(f"{API}/events/{draft.id}", headers=bearer(organiser))
    assert mine.status_code == 200 and mine.json["status"] == "draft"
    with_token = client.get(f"{API}/events", headers=bearer(organiser))
    assert ids(with_token) == [
        draft.id,
        listed["paris"].id,
        listed["nairobi"].id,
        listed["cancelled"].id,
    ]
    assert draft.id not in ids(client.get(f"{API}/events", headers=bearer(make_user())))


def test_an_invalid_token_is_refused_even_where_none_is_needed(client, listed, spec):
    headers = {"Authorization": "Bearer cvn_forged"}
    response = client.get(f"{API}/events", headers=headers)
    assert_error(response, 401, spec)
    assert_documented(spec, "get", "/api/v1/events", response)
    one = client.get(f"{API}/events/{listed['paris'].id}", headers=headers)
    assert_documented(spec, "get", "/api/v1/events/{event_id}", one)
    assert one.status_code == 401


def test_an_event_in_full(client, app, spec):
    host = make_member("Ville de Paris")
    opens = utc(day(-84), 9)
    event = make_event(
        "Open Justice Forum",
        capacity=3,
        timezone="America/Argentina/Buenos_Aires",
        hosts=[host],
        themes=[theme("open-justice"), theme("youth")],
        venue="Palacio",
        languages=["es", "en"],
        registration_opens_at=opens,
    )
    db.session.add(
        EventQuestion(
            event=event,
            kind=QuestionKind.SINGLE_CHOICE,
            label="Lunch",
            options=["meat", "vegetarian"],
            required=True,
        )
    )
    db.session.commit()
    response = client.get(f"{API}/events/{event.id}")
    assert_documented(spec, "get", "/api/v1/events/{event_id}", response)
    body = response.json
    zone = ZoneInfo("America/Argentina/Buenos_Aires")
    assert body["starts_at"] == event.starts_at.astimezone(zone).isoformat()
    assert body["starts_at"].endswith("-03:00")
    assert body["registration_opens_at"] == f"{day(-84)}T06:00:00-03:00"
    assert body["timezone"] == "America/Argentina/Buenos_Aires"
    assert body["themes"] == ["open-justice", "youth"]
    assert body["hosts"] == [{"member_id": host.id, "name": "Ville de Paris"}]
    assert (body["capacity"], body["seats_left"]) == (3, 3)
    assert body["registration_open"] is False and body["registration_closed_reason"]
    assert body["questions"][0]["options"] == ["meat", "vegetarian"]
    assert body["url"] == f"http://convene.test/events/{event.slug}"
    assert body["online_url"] is None


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("anonymous", False),
        ("stranger", False),
        ("confirmed", True),
        ("waitlisted", False),
        ("cancelled", False),
        ("organiser", True),
        ("admin", True),
    ],
)
def test_the_join_link_is_only_for_confirmed_participants_and_organisers(
    client, app, who, sees_link
):
    organiser = make_user()
    event = make_event(
        capacity=1, format="hybrid", online_url="https://meet.example.org/x", organisers=[organiser]
    )
    signed_up(event, make_user())  # takes the only seat
    person = {"organiser": organiser, "admin": make_user(roles=["admin"])}.get(who) or make_user()
    if who == "confirmed":
        event.capacity = 2
        db.session.commit()
    if who in ("confirmed", "waitlisted", "cancelled"):
        registration = signed_up(event, person)
        assert registration.status.value == ("confirmed" if who == "confirmed" else "waitlisted")
        if who == "cancelled":
            reg.cancel(registration)
            db.session.commit()
    headers = {} if who == "anonymous" else bearer(person)
    link = "https://meet.example.org/x" if sees_link else None
    assert client.get(f"{API}/events/{event.id}", headers=headers).json["online_url"] == link
    listed = client.get(f"{API}/events", headers=headers).json["items"]
    assert [item["online_url"] for item in listed] == [link]


# Managing events ----------------------------------------------------------------------


def new_event(cast, **changes) -> dict:
    data = {
        "title": "Open justice in practice",
        "description": "Courts that publish their decisions.",
        "themes": ["open-justice"],
        "format": "hybrid",
        "starts_at": f"{SUNDAY}T09:00:00",
        "ends_at": f"{SUNDAY}T17:30:00",
        "timezone": "Europe/Paris",
        "city": "Paris",
        "country": "FR",
        "online_url": "https://meet.example.org/justice",
        "languages": ["en", "fr"],
        "hosts": [cast.government.id, cast.civil_society.id],
    }
    data.update(changes)
    return data


def test_an_administrator_creates_a_draft(client, cast, spec):
    response = client.post(
        f"{API}/events",
        json=new_event(cast, capacity=40, registration_closes_at=f"{SATURDAY}T18:00:00"),
        headers=bearer(cast.admin),
    )
    assert response.status_code == 201, response.json
    assert_documented(spec, "post", "/api/v1/events", response)
    body = response.json
    assert body["status"] == "draft"
    assert body["starts_at"] == f"{SUNDAY}T09:00:00+02:00"  # the day after DST starts
    assert body["ends_at"] == f"{SUNDAY}T17:30:00+02:00"
    assert body["registration_closes_at"] == f"{SATURDAY}T18:00:00+01:00"  # before DST
    assert body["capacity"] == 40
    assert [h["member_id"] for h in body["hosts"]] == sorted(
        [cast.government.id, cast.civil_society.id],
        key=lambda i: db.session.get(Member, i).name,
    )
    event = db.session.get(Event, body["id"])
    assert {o.user_id for o in event.organisers} == {cast.proposer.id, cast.cohost.id}
    assert event.starts_at == utc(SUNDAY, 7)
    # The hosts' focal points see their draft and its join link.
    theirs = client.get(f"{API}/events/{body['id']}", headers=bearer(cast.cohost))
    assert theirs.json["online_url"] == "https://meet.example.org/justice"


@pytest.mark.parametrize("who", ["proposer", "participant", "reviewer"])
def test_only_administrators_create_events(client, cast, spec, who):
    response = client.post(
        f"{API}/events", json=new_event(cast), headers=bearer(getattr(cast, who))
    )
    assert_error(response, 403, spec)
    assert_documented(spec, "post", "/api/v1/events", response)
    assert_error(client.post(f"{API}/events", json=new_event(cast)), 401)
    assert count(Event) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": f"{SUNDAY}T08:00:00"}, "ends_at"),
        ({"timezone": "Atlantis/Capital"}, "timezone"),
        ({"starts_at": f"{SUNDAY}T02:30:00"}, "starts_at"),  # the clocks skip 02:00-03:00
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"hosts": [999_999]}, "hosts"),
        ({"hosts": [2**40]}, "hosts"),  # beyond a 32-bit id: not a database error
        ({"quotas": {"government": 10**12}}, "quotas"),
        ({"questions": [{"id": 2**40, "kind": "checkbox", "label": "Rules"}]}, "questions"),
        ({"title": ""}, "title"),
        ({"format": "paper"}, "format"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"country": "XX"}, "country"),
        ({"capacity": -1}, "capacity"),
        ({"registration_closes_at": f"{day(3)}T09:00:00"}, "registration_closes_at"),
        ({"quotas": {"aliens": 3}}, "quotas"),
        (
            {"questions": [{"kind": "single_choice", "label": "Lunch", "options": ["x"]}]},
            "questions.0",
        ),
        ({"description": "x" * 100_000}, "description"),
        ({"title": "a\x00b"}, "title"),
        ({"slug": "mine"}, "slug"),
    ],
)
def test_bad_event_input_is_422_per_field_and_nothing_is_saved(client, cast, spec, changes, field):
    response = client.post(
        f"{API}/events", json=new_event(cast, **changes), headers=bearer(cast.admin)
    )
    error = assert_error(response, 422, spec)
    assert_documented(spec, "post", "/api/v1/events", response)
    assert field in error["fields"] or any(k.startswith(f"{field}.") for k in error["fields"])
    assert count(Event) == 0


@pytest.fixture
def managed(cast):
    """A published event organised by the proposer, with one participant."""
    event = make_event(
        capacity=2, organisers=[cast.proposer], online_url="https://meet.example.org/a"
    )
    signed_up(event, cast.participant)
    return event


def test_organisers_change_details_and_settings(client, cast, managed, spec):
    starts_at, sequence = managed.starts_at, managed.sequence
    response = client.patch(
        f"{API}/events/{managed.id}",
        json={
            "title": "Open Justice Forum 2031",
            "venue": "Conseil d'État",
            "capacity": 50,
            "registration_opens_at": f"{day(-453)}T10:00:00",
            "questions": [{"kind": "checkbox", "label": "I accept the rules", "required": True}],
        },
        headers=bearer(cast.proposer),
    )
    assert response.status_code == 200, response.json
    assert_documented(spec, "patch", "/api/v1/events/{event_id}", response)
    body = response.json
    assert (body["title"], body["venue"], body["capacity"]) == (
        "Open Justice Forum 2031",
        "Conseil d'État",
        50,
    )
    assert body["registration_opens_at"] == f"{day(-453)}T10:00:00+01:00"
    assert body["questions"][0]["label"] == "I accept the rules"
    db.session.expire_all()
    event = db.session.get(Event, managed.id)
    assert event.city == "Paris" and event.starts_at == starts_at  # not sent: kept
    assert event.seats_left == 49 and event.sequence == sequence + 1


def test_a_change_of_time_is_e_mailed_to_participants(client, cast, managed):
    later = (managed.starts_at + timedelta(days=1)).isoformat()
    ends = (managed.ends_at + timedelta(days=1)).isoformat()
    response = client.patch(
        f"{API}/events/{managed.id}",
        json={"starts_at": later, "ends_at": ends},
        headers=bearer(cast.proposer),
    )
    assert response.status_code == 200, response.json
    assert outbox_to(cast.participant.email)[-1].kind == "event_changed"


@pytest.mark.parametrize(
    ("who", "status"), [("cohost", 403), ("participant", 403), ("admin", 200), (None, 401)]
)
def test_only_organisers_change_an_event(client, cast, managed, spec, who, status):
    headers = bearer(getattr(cast, who)) if who else {}
    response = client.patch(f"{API}/events/{managed.id}", json={"capacity": 10}, headers=headers)
    assert response.status_code == status, response.json
    assert_documented(spec, "patch", "/api/v1/events/{event_id}", response)
    db.session.expire_all()
    assert db.session.get(Event, managed.id).capacity == (10 if status == 200 else 2)


def test_settings_alone_need_an_organiser_too(client, cast, managed):
    # An empty change still asks who is changing.
    assert_error(
        client.patch(f"{API}/events/{managed.id}", json={}, headers=bearer(cast.cohost)), 403
    )
    ok = client.patch(f"{API}/events/{managed.id}", json={}, headers=bearer(cast.proposer))
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),  # one person is confirmed already
        (
            {
                "registration_opens_at": f"{day(-422)}T10:00:00",
                "registration_closes_at": f"{day(-453)}T10:00:00",
            },
            "registration_closes_at",
        ),
        ({"title": "New", "timezone": "Nowhere/Land"}, "timezone"),
        ({"title": "New", "hosts": [1]}, "hosts"),
    ],
)
def test_a_refused_change_keeps_the_saved_event(client, cast, managed, spec, changes, field):
    response = client.patch(
        f"{API}/events/{managed.id}", json=changes, headers=bearer(cast.proposer)
    )
    error = assert_error(response, 422, spec)
    assert list(error["fields"]) == [field]
    db.session.expire_all()
    event = db.session.get(Event, managed.id)
    assert (event.title, event.capacity, event.timezone) == (
        "Open Justice Forum",
        2,
        "Europe/Paris",
    )
    assert event.registration_opens_at is None


def test_publish_then_cancel(client, cast, spec):
    event = make_event(status="draft", organisers=[cast.proposer])
    headers = bearer(cast.proposer)
    published = client.post(f"{API}/events/{event.id}/publish", headers=headers)
    assert published.status_code == 200, published.json
    assert_documented(spec, "post", "/api/v1/events/{event_id}/publish", published)
    assert published.json["status"] == "published"
    assert event.id in ids(client.get(f"{API}/events"))

    again = client.post(f"{API}/events/{event.id}/publish", headers=headers)
    assert_error(again, 409, spec)
    assert_documented(spec, "post", "/api/v1/events/{event_id}/publish", again)

    db.session.expire_all()
    signed_up(db.session.get(Event, event.id), cast.participant)
    no_reason = client.post(
        f"{API}/events/{event.id}/cancel", json={"message": " "}, headers=headers
    )
    assert "message" in assert_error(no_reason, 422, spec)["fields"]
    cancelled = client.post(
        f"{API}/events/{event.id}/cancel",
        json={"message": "The venue burnt down."},
        headers=headers,
    )
    assert_documented(spec, "post", "/api/v1/events/{event_id}/cancel", cancelled)
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancellation_message"] == "The venue burnt down."
    assert outbox_to(cast.participant.email)[-1].kind == "event_cancelled"

    for action, body in (("cancel", {"message": "Again"}), ("publish", None)):
        response = client.post(f"{API}/events/{event.id}/{action}", json=body, headers=headers)
        assert_error(response, 409, spec)
    edit = client.patch(f"{API}/events/{event.id}", json={"title": "Back"}, headers=headers)
    assert_error(edit, 409, spec)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is EventStatus.CANCELLED


def test_others_cannot_publish_or_cancel(client, cast, spec):
    draft = make_event(status="draft", organisers=[cast.proposer])
    published = make_event(organisers=[cast.proposer])
    headers = bearer(cast.outsider)
    assert_error(client.post(f"{API}/events/{draft.id}/publish", headers=headers), 404, spec)
    response = client.post(
        f"{API}/events/{published.id}/cancel", json={"message": "No"}, headers=headers
    )
    assert_error(response, 403, spec)
    assert_documented(spec, "post", "/api/v1/events/{event_id}/cancel", response)
    assert_error(client.post(f"{API}/events/{published.id}/cancel", json={"message": "No"}), 401)
    db.session.expire_all()
    assert db.session.get(Event, draft.id).status is EventStatus.DRAFT
    assert db.session.get(Event, published.id).status is EventStatus.PUBLISHED


def test_publishing_needs_a_place(client, cast, spec):
    event = make_event(status="draft", organisers=[cast.proposer], city=None)
    response = client.post(f"{API}/events/{event.id}/publish", headers=bearer(cast.proposer))
    assert "city" in assert_error(response, 422, spec)["fields"]


# Registering --------------------------------------------------------------------------

REGISTER = "/api/v1/events/{event_id}/registrations"


def register(client, event, headers=None, **changes):
    data = {"sector": "civil_society", **changes}
    return client.post(f"{API}/events/{event.id}/registrations", json=data, headers=headers or {})


def test_with_a_token_seats_then_a_numbered_waiting_list(client, app, spec):
    event = make_event(capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    confirmed = register(client, event, bearer(first), organisation="Cour de cassation")
    assert confirmed.status_code == 201, confirmed.json
    assert_documented(spec, "post", REGISTER, confirmed)
    assert confirmed.json["status"] == "confirmed" and confirmed.json["waitlist_position"] is None
    assert confirmed.json["event_id"] == event.id and confirmed.json["confirmed_at"]
    assert confirmed.json["organisation"] == "Cour de cassation"

    waiting = [register(client, event, bearer(p)).json for p in (second, third)]
    assert [(w["status"], w["waitlist_position"]) for w in waiting] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert client.get(f"{API}/events/{event.id}").json["seats_left"] == 0


def test_registering_twice_returns_the_same_registration(client, app, spec):
    event = make_event(capacity=5)
    headers = bearer(make_user())
    first = register(client, event, headers)
    again = register(client, event, headers, sector="academia")
    assert (first.status_code, again.status_code) == (201, 200)
    assert_documented(spec, "post", REGISTER, again)
    assert again.json["id"] == first.json["id"] and again.json["sector"] == "civil_society"
    assert count(Registration) == 1
    db.session.expire_all()
    assert db.session.get(Event, event.id).seats_taken == 1


def test_with_a_token_one_registers_oneself_only(client, app):
    person = make_user(email="me@example.org")
    event = make_event()
    response = register(client, event, bearer(person), email="someone.else@example.org")
    assert "email" in assert_error(response, 422)["fields"]
    same = register(client, event, bearer(person), email="ME@example.org")
    assert same.status_code == 201
    assert count(Registration) == 1


def test_with_manual_approval_the_request_waits(client, app):
    event = make_event(manual_approval=True, timezone="America/Argentina/Buenos_Aires")
    response = register(client, event, bearer(make_user()))
    assert response.status_code == 201
    assert (response.json["status"], response.json["awaiting"]) == ("pending", "approval")
    assert response.json["created_at"].endswith("-03:00")  # in the event's timezone
    assert response.json["confirmed_at"] is None


def test_without_a_token_a_confirmation_e_mail_is_sent(client, app, spec):
    event = make_event(capacity=5)
    response = register(client, event, name="Rita Registrant", email="Rita@Example.org")
    assert response.status_code == 202, response.json
    assert_documented(spec, "post", REGISTER, response)
    assert set(response.json) == {"message"}
    registration = db.session.scalar(select(Registration))
    assert (registration.status, registration.awaiting.value) == (
        RegistrationStatus.PENDING,
        "email",
    )
    assert registration.user.name == "Rita Registrant"
    assert [m.kind for m in outbox_to(registration.user.email)] == ["registration_confirm_email"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).seats_taken == 0  # not before the address is confirmed


def test_the_answer_without_a_token_tells_nothing_about_the_address(client, app):
    event = make_event(capacity=5)
    known = make_user(email="known@example.org", name="Kim Known")
    signed_up(event, known)
    has_account = make_user(email="account@example.org")
    answers = [
        register(client, event, name="Anyone", email=email)
        for email in ("known@example.org", "account@example.org", "new@example.org")
    ]
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {
        (202, answers[0].get_data(as_text=True))
    }
    # Kim keeps her seat; the others wait for their address to be confirmed.
    db.session.expire_all()
    assert db.session.get(User, known.id).name == "Kim Known"
    assert count(Registration, Registration.status == RegistrationStatus.CONFIRMED) == 1
    assert count(Registration, Registration.user_id == has_account.id) == 1
    assert count(User, User.email == "new@example.org") == 1
    # Each address is told by e-mail where it stands.
    assert [m.kind for m in outbox_to("known@example.org")] == ["registration_confirmed"] * 2
    assert outbox_to("account@example.org")[-1].kind == "registration_confirm_email"
    assert outbox_to("new@example.org")[-1].kind == "registration_confirm_email"


@pytest.mark.parametrize(
    ("fields", "token_status", "anonymous_status"),
    [
        ({"registration_opens_at": "future"}, 409, 409),
        ({"registration_closes_at": "past"}, 409, 409),
        ({"status": "cancelled"}, 409, 409),
        ({"status": "draft"}, 409, 404),  # a draft is invisible but to its organisers
    ],
    ids=["before-opening", "after-closing", "cancelled", "draft"],
)
def test_registration_outside_its_window_is_refused(
    client, app, spec, fields, token_status, anonymous_status
):
    organiser = make_user()
    values = {
        key: {"future": utcnow() + timedelta(days=1), "past": utcnow() - timedelta(days=1)}.get(
            value, value
        )
        for key, value in fields.items()
    }
    event = make_event(capacity=5, organisers=[organiser], **values)
    with_token = register(client, event, bearer(organiser))
    assert with_token.status_code == token_status, with_token.json
    assert with_token.json["error"]["code"] == "registration_closed"
    assert_documented(spec, "post", REGISTER, with_token)
    anonymous = register(client, event, name="Ann", email="ann@example.org")
    assert anonymous.status_code == anonymous_status
    assert_documented(spec, "post", REGISTER, anonymous)
    assert count(Registration) == 0
    assert outbox_to("ann@example.org") == []


def test_a_full_event_without_waiting_list_is_409(client, app):
    event = make_event(capacity=1, waitlist=False)
    signed_up(event, make_user())
    response = register(client, event, bearer(make_user()))
    assert response.status_code == 409 and response.json["error"]["code"] == "event_full"
    assert count(Registration) == 1


@pytest.fixture
def quiz(app):
    event = make_event(capacity=5)
    db.session.add_all(
        [
            EventQuestion(
                event=event,
                kind=QuestionKind.SINGLE_CHOICE,
                label="Lunch",
                options=["meat", "vegetarian"],
                required=True,
                position=0,
            ),
            EventQuestion(event=event, kind=QuestionKind.LONG_TEXT, label="Why", position=1),
        ]
    )
    db.session.commit()
    return event


@pytest.mark.parametrize("token", [True, False], ids=["token", "anonymous"])
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": {}}, "answers.{lunch}"),
        ({"answers": {"{lunch}": "fish"}}, "answers.{lunch}"),
        ({"answers": {"{lunch}": "meat", "{why}": "x" * 1_000_000}}, "answers.{why}"),
        ({"answers": {"{lunch}": "meat", "{why}": "a\x00"}}, "answers.{why}"),
        ({"answers": {"{lunch}": {"dish": "meat"}}}, "answers.{lunch}"),
        ({"answers": {"{lunch}": "meat", "999999": "?"}}, "answers.999999"),
        ({"sector": "aliens"}, "sector"),
        ({"age_band": "ancient"}, "age_band"),
        ({"member_id": 999_999}, "member_id"),
        ({"member_id": 2**40}, "member_id"),
        ({"accessibility_needs": "x" * 5000}, "accessibility_needs"),
        ({"surname": "X"}, "surname"),
    ],
)
def test_bad_registrations_are_422_and_nothing_is_saved(client, quiz, spec, token, changes, field):
    lunch, why = (str(q.id) for q in quiz.questions)
    data = {"answers": {lunch: "meat"}, **changes}
    data["answers"] = {k.format(lunch=lunch, why=why): v for k, v in data["answers"].items()}
    identity = {} if token else {"name": "Ann", "email": "ann@example.org"}
    headers = bearer(make_user(email="ann@example.org")) if token else {}
    response = register(client, quiz, headers, **identity, **data)
    error = assert_error(response, 422, spec)
    assert_documented(spec, "post", REGISTER, response)
    name = field.format(lunch=lunch, why=why)
    assert name in error["fields"] or (
        name.startswith("answers.") and f"{name}.value" in error["fields"]
    ), error
    assert count(Registration) == 0
    assert count(OutboxMessage) == 0


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"email": "ann@example.org"}, "name"),
        ({"name": "Ann"}, "email"),
        ({"name": "Ann", "email": "not-an-address"}, "email"),
        ({"name": "Ann", "email": "ann@"}, "email"),
    ],
)
def test_without_a_token_name_and_a_valid_address_are_required(client, app, identity, field):
    event = make_event()
    response = register(client, event, **identity)
    assert field in assert_error(response, 422)["fields"]
    assert count(Registration) == 0 and count(User) == 0


def test_good_answers_are_kept(client, quiz):
    lunch, why = (str(q.id) for q in quiz.questions)
    response = register(
        client, quiz, bearer(make_user()), answers={lunch: "vegetarian", why: "To learn"}
    )
    assert response.status_code == 201, response.json
    assert response.json["answers"] == {lunch: "vegetarian", why: "To learn"}


@pytest.fixture
def rate_limited_client(make_app):
    yield make_app(RATELIMIT_ENABLED=True).test_client()
    make_app()
    assert not limiter.enabled


def test_anonymous_registration_is_rate_limited_but_not_with_a_token(
    rate_limited_client, app, spec
):
    event = make_event()
    for n in range(20):
        response = register(rate_limited_client, event, name="Ann", email=f"ann{n}@example.org")
        assert response.status_code == 202
    refused = register(rate_limited_client, event, name="Ann", email="ann20@example.org")
    assert_error(refused, 429, spec)
    assert_documented(spec, "post", REGISTER, refused)
    assert count(Registration) == 20
    assert register(rate_limited_client, event, bearer(make_user())).status_code == 201


# The organisers' list ---------------------------------------------------------------

LIST = "/api/v1/events/{event_id}/registrations"


def test_organisers_list_registrations_with_filters(client, cast, spec):
    event = make_event(capacity=1, organisers=[cast.proposer])
    first = signed_up(event, make_user(name="Ana"), sector="government")
    second = signed_up(event, make_user(name="Ben"), sector="academia")
    third = signed_up(event, make_user(name="Cy"), sector="academia")
    headers = bearer(cast.proposer)
    response = client.get(f"{API}/events/{event.id}/registrations", headers=headers)
    assert_documented(spec, "get", LIST, response)
    assert ids(response) == [first.id, second.id, third.id]
    assert [i["name"] for i in response.json["items"]] == ["Ana", "Ben", "Cy"]
    assert [i["waitlist_position"] for i in response.json["items"]] == [None, 1, 2]
    assert "gender" not in response.json["items"][0]  # inclusion data: aggregates only

    def listed(**query):
        return ids(
            client.get(
                f"{API}/events/{event.id}/registrations", query_string=query, headers=headers
            )
        )

    assert listed(status="waitlisted") == [second.id, third.id]
    assert listed(sector="government") == [first.id]
    assert listed(status="confirmed", sector="academia") == []
    assert listed(per_page=1, page=3) == [third.id]
    bad = client.get(f"{API}/events/{event.id}/registrations?status=lost", headers=headers)
    assert "status" in assert_error(bad, 422, spec)["fields"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("participant", 403), ("cohost", 403), ("admin", 200), (None, 401)],
)
def test_only_organisers_see_the_list(client, cast, spec, who, status):
    event = make_event(organisers=[cast.proposer])
    signed_up(event, cast.participant)
    headers = bearer(getattr(cast, who)) if who else {}
    response = client.get(f"{API}/events/{event.id}/registrations", headers=headers)
    assert response.status_code == status
    assert_documented(spec, "get", LIST, response)
    if status != 200:
        assert "items" not in response.json


def test_the_list_of_a_hidden_draft_is_not_found(client, cast):
    event = make_event(status="draft", organisers=[cast.proposer])
    response = client.get(f"{API}/events/{event.id}/registrations", headers=bearer(cast.outsider))
    assert_error(response, 404)


def test_the_list_takes_as_many_queries_for_50_registrations_as_for_5(client, cast):
    headers = bearer(cast.proposer)
    small = make_event(organisers=[cast.proposer], slug="small")
    large = make_event(organisers=[cast.proposer], slug="large")
    for event, n in ((small, 5), (large, 50)):
        for person in [make_user() for _ in range(n)]:
            signed_up(event, person)
    client.get(f"{API}/events", headers=headers)  # records the token's first use

    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def queries(event) -> int:
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(
                f"{API}/events/{event.id}/registrations?per_page=100", headers=headers
            )
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        assert response.status_code == 200 and response.json["total"] == len(response.json["items"])
        return len(statements)

    assert queries(small) == queries(large)


def test_the_event_list_takes_as_many_queries_for_20_events_as_for_2(client, cast):
    headers = bearer(cast.participant)
    for _n in range(2):
        signed_up(
            make_event(
                organisers=[cast.proposer], hosts=[cast.government], themes=[theme("youth")]
            ),
            cast.participant,
        )
    client.get(f"{API}/events", headers=headers)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(f"{API}/events", headers=headers).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    two = queries()
    for _n in range(18):
        make_event(organisers=[cast.proposer], hosts=[cast.government], themes=[theme("youth")])
    assert queries() == two


# One registration -------------------------------------------------------------------

ONE = "/api/v1/registrations/{registration_id}"


def test_a_registration_is_seen_by_its_owner_and_the_organisers_only(client, cast, spec):
    event = make_event(organisers=[cast.proposer])
    mine = signed_up(event, cast.participant, accessibility_needs="Step-free access")
    own = client.get(f"{API}/registrations/{mine.id}", headers=bearer(cast.participant))
    assert_documented(spec, "get", ONE, own)
    assert own.json["id"] == mine.id and own.json["status"] == "confirmed"
    assert own.json["accessibility_needs"] == "Step-free access"
    organiser = client.get(f"{API}/registrations/{mine.id}", headers=bearer(cast.proposer))
    assert organiser.json == own.json

    other = client.get(f"{API}/registrations/{mine.id}", headers=bearer(cast.outsider))
    assert_error(other, 404, spec)
    assert_documented(spec, "get", ONE, other)
    unknown = client.get(f"{API}/registrations/999999", headers=bearer(cast.outsider))
    assert other.json == unknown.json  # nothing tells an existing id from a missing one
    assert_error(client.get(f"{API}/registrations/{mine.id}"), 401)


def test_cancelling_promotes_the_first_person_waiting(client, cast, spec):
    event = make_event(capacity=1, organisers=[cast.proposer])
    seated = signed_up(event, cast.participant)
    first, second = (signed_up(event, make_user()) for _ in range(2))
    response = client.delete(f"{API}/registrations/{seated.id}", headers=bearer(cast.participant))
    assert response.status_code == 200
    assert_documented(spec, "delete", ONE, response)
    assert response.json["status"] == "cancelled" and response.json["cancelled_at"]
    db.session.expire_all()
    assert db.session.get(Registration, first.id).status is RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, second.id).waitlist_position == 1
    assert outbox_to(first.user.email)[-1].kind == "registration_promoted"

    again = client.delete(f"{API}/registrations/{seated.id}", headers=bearer(cast.participant))
    assert again.status_code == 200 and again.json["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Event, event.id).seats_taken == 1


def test_an_organiser_cancels_someone_and_others_cannot(client, cast, spec):
    event = make_event(capacity=1, organisers=[cast.proposer])
    seated = signed_up(event, cast.participant)
    waiting = signed_up(event, make_user())
    refused = client.delete(f"{API}/registrations/{seated.id}", headers=bearer(cast.outsider))
    assert_error(refused, 404, spec)
    assert_documented(spec, "delete", ONE, refused)
    assert_error(client.delete(f"{API}/registrations/{seated.id}"), 401)
    db.session.expire_all()
    assert db.session.get(Registration, seated.id).status is RegistrationStatus.CONFIRMED

    done = client.delete(f"{API}/registrations/{seated.id}", headers=bearer(cast.proposer))
    assert done.status_code == 200 and done.json["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED
    assert outbox_to(cast.participant.email)[-1].kind == "registration_cancelled"
