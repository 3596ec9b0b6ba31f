"""/api/v1/events/{id}/sessions: the agenda for programs, with the organisers' warnings.

Answers are checked against the OpenAPI document the app serves, as in test_api.py.
"""

from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import AgendaSession, Speaker, Theme
from convene.services import accounts, agenda
from convene.services.agenda import SessionInput, SpeakerInput
from convene.services.registration import register

from .dates import MONDAY, SATURDAY, SUNDAY, YEAR, utc, wall
from .factories import make_event, make_user, registration_input
from .test_api import assert_documented, assert_error

API = "/api/v1"
LIST = "/api/v1/events/{event_id}/sessions"
ONE = "/api/v1/events/{event_id}/sessions/{session_id}"
LINK = "https://meet.example.org/opening"


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


@pytest.fixture
def organiser(app):
    return make_user(name="Olga Organiser")


@pytest.fixture
def event(organiser):
    """Three days around the night Paris moves its clocks forward (tests/dates.py)."""
    return make_event(
        organisers=[organiser],
        timezone="Europe/Paris",
        starts_at=utc(SATURDAY, 6),
        hours=60,
    )


def bearer(person) -> dict:
    _token, secret = accounts.create_api_token(person, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def url(event, session=None) -> str:
    base = f"{API}/events/{event.id}/sessions"
    return base if session is None else f"{base}/{getattr(session, 'id', session)}"


def body(**changes) -> dict:
    data = {
        "title": "Opening plenary",
        "kind": "plenary",
        "starts_at": f"{SATURDAY}T09:00:00",
        "ends_at": f"{SATURDAY}T10:30:00",
        "room": "Main hall",
        "languages": ["en", "fr"],
    }
    data.update(changes)
    return data


def add(event, title="Opening plenary", start=(SATURDAY, 9, 0), end=(SATURDAY, 10, 30), **changes):
    """A session through the service, typed in the event's timezone: (day, hour, minute)."""
    values = dict(
        title=title,
        kind="plenary",
        starts_at=wall(*start),
        ends_at=wall(*end),
        room="Main hall",
        languages=["en"],
    )
    values.update(changes)
    session = agenda.create_session(event.organisers[0].user, event, SessionInput(**values))
    db.session.commit()
    return session


def theme_id(slug: str) -> int:
    return db.session.scalar(select(Theme.id).where(Theme.slug == slug))


def session_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AgendaSession))


def codes(warnings) -> list[str]:
    return sorted(w["code"] for w in warnings)


# Creating ---------------------------------------------------------------------------


def test_organisers_create_sessions_in_wall_time_across_the_dst_change(
    client, event, organiser, spec
):
    headers = bearer(organiser)
    speakers = [
        {"name": "Ana Pérez", "affiliation": "Ministry", "sector": "government", "gender": "woman"}
    ]
    saturday = client.post(
        url(event),
        json=body(
            description="Welcome.",
            online_url=LINK,
            track="Justice",
            theme="open-justice",
            interpretation=True,
            capacity=80,
            speakers=speakers,
        ),
        headers=headers,
    )
    assert saturday.status_code == 201, saturday.json
    assert_documented(spec, "post", LIST, saturday)
    session = db.session.get(AgendaSession, saturday.json["id"])
    assert session.starts_at == utc(SATURDAY, 8)  # UTC+1
    assert saturday.json == {
        "id": session.id,
        "event_id": event.id,
        "title": "Opening plenary",
        "description": "Welcome.",
        "language": "en",
        "translations": {},
        "shown_languages": {"title": "en", "description": "en"},
        "kind": "plenary",
        "starts_at": f"{SATURDAY}T09:00:00+01:00",
        "ends_at": f"{SATURDAY}T10:30:00+01:00",
        "timezone": "Europe/Paris",
        "room": "Main hall",
        "online_url": LINK,
        "track": "Justice",
        "theme": "open-justice",
        "languages": ["en", "fr"],
        "interpretation": True,
        "capacity": 80,
        "cancelled": False,
        "sequence": 0,
        "speakers": [{"name": "Ana Pérez", "affiliation": "Ministry", "sector": "government"}],
        "warnings": [],
    }

    sunday = client.post(
        url(event),
        json=body(starts_at=f"{SUNDAY}T09:00:00", ends_at=f"{SUNDAY}T10:00:00", room="Room 2"),
        headers=headers,
    )
    assert sunday.status_code == 201, sunday.json
    assert sunday.json["starts_at"] == f"{SUNDAY}T09:00:00+02:00"  # UTC+2 from that night
    assert db.session.get(AgendaSession, sunday.json["id"]).starts_at == utc(SUNDAY, 7)

    # A time with an offset is that instant, shown in the event's zone.
    monday = client.post(
        url(event),
        json=body(starts_at=f"{MONDAY}T07:00:00Z", ends_at=f"{MONDAY}T10:00:00+02:00"),
        headers=headers,
    )
    assert monday.status_code == 201, monday.json
    assert (monday.json["starts_at"], monday.json["ends_at"]) == (
        f"{MONDAY}T09:00:00+02:00",
        f"{MONDAY}T10:00:00+02:00",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": f"{SUNDAY}T02:30:00", "ends_at": f"{SUNDAY}T04:00:00"}, "starts_at"),
        ({"starts_at": f"{SATURDAY}T11:00:00"}, "ends_at"),  # ends before it starts
        ({"ends_at": f"{SATURDAY}T09:00:00"}, "ends_at"),  # ends as it starts
        ({"starts_at": "1800-01-01T09:00:00"}, "starts_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"kind": "party"}, "kind"),
        ({"languages": ["zz"]}, "languages"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10**30}, "capacity"),
        ({"speakers": [{"name": "A", "sector": "aliens"}]}, "speakers.0.sector"),
        ({"speakers": [{"name": ""}]}, "speakers.0.name"),
        ({"speakers": [{"name": "A", "user_id": 2_000_000_000}]}, "speakers.0.user_id"),
        ({"speakers": [{"name": f"P{i}"} for i in range(31)]}, "speakers"),
        ({"cancelled": True}, "cancelled"),
    ],
)
def test_bad_sessions_are_422_per_field_and_nothing_is_saved(
    client, event, organiser, spec, changes, field
):
    response = client.post(url(event), json=body(**changes), headers=bearer(organiser))
    error = assert_error(response, 422, spec)
    assert_documented(spec, "post", LIST, response)
    assert field in error["fields"], error
    assert session_count() == 0


def test_the_dst_gap_is_explained_to_the_organiser(client, event, organiser):
    response = client.post(
        url(event),
        json=body(starts_at=f"{SUNDAY}T02:30:00", ends_at=f"{SUNDAY}T04:00:00"),
        headers=bearer(organiser),
    )
    message = assert_error(response, 422)["fields"]["starts_at"][0]
    assert "02:30" in message and "Europe/Paris" in message


def test_missing_fields_are_named(client, event, organiser):
    error = assert_error(client.post(url(event), json={}, headers=bearer(organiser)), 422)
    assert {"title", "starts_at", "ends_at"} <= set(error["fields"])


# Who may change the agenda -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("stranger", 403), ("participant", 403)]
)
def test_only_organisers_change_the_agenda(client, event, spec, who, status):
    session = add(event)
    person = make_user()
    if who == "participant":
        register(event, registration_input(), actor=person)
        db.session.commit()
    headers = {} if who == "anonymous" else bearer(person)

    created = client.post(url(event), json=body(title="Mine"), headers=headers)
    assert_error(created, status, spec)
    assert_documented(spec, "post", LIST, created)
    patched = client.patch(url(event, session), json={"title": "Mine"}, headers=headers)
    assert_error(patched, status, spec)
    assert_documented(spec, "patch", ONE, patched)
    deleted = client.delete(url(event, session), headers=headers)
    assert_error(deleted, status, spec)
    assert_documented(spec, "delete", ONE, deleted)

    db.session.refresh(session)
    assert (session_count(), session.title, session.cancelled_at) == (1, "Opening plenary", None)


def test_an_administrator_may_change_any_agenda(client, event):
    response = client.post(url(event), json=body(), headers=bearer(make_user(roles=["admin"])))
    assert response.status_code == 201 and "warnings" in response.json


def test_a_draft_events_agenda_is_hidden_from_all_but_its_organisers(client, organiser, spec):
    draft = make_event(status="draft", organisers=[organiser], starts_at=utc(SATURDAY, 6))
    session = add(draft)
    stranger = bearer(make_user())
    for headers in ({}, stranger):
        listed = client.get(url(draft), headers=headers)
        assert_error(listed, 404, spec)
        assert_documented(spec, "get", LIST, listed)
        one = client.get(url(draft, session), headers=headers)
        assert_error(one, 404, spec)
        assert_documented(spec, "get", ONE, one)
    assert_error(client.post(url(draft), json=body(), headers=stranger), 404)
    assert_error(client.patch(url(draft, session), json={"title": "x"}, headers=stranger), 404)
    assert_error(client.delete(url(draft, session), headers=stranger), 404)

    mine = client.get(url(draft), headers=bearer(organiser))
    assert [item["id"] for item in mine.json["items"]] == [session.id]
    assert session_count() == 1


def test_an_invalid_token_is_refused_even_where_none_is_needed(client, event, spec):
    session = add(event)
    forged = {"Authorization": "Bearer cvn_forged"}
    for path, response in (
        (LIST, client.get(url(event), headers=forged)),
        (ONE, client.get(url(event, session), headers=forged)),
    ):
        assert_error(response, 401, spec)
        assert_documented(spec, "get", path, response)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


# Reading ------------------------------------------------------------------------------


def test_anyone_reads_a_published_agenda_without_warnings(client, event, spec):
    session = add(event, online_url=LINK, speakers=[SpeakerInput("Ana Pérez", gender="woman")])
    listed = client.get(url(event))
    assert_documented(spec, "get", LIST, listed)
    assert {k: v for k, v in listed.json.items() if k != "items"} == {
        "total": 1,
        "page": 1,
        "per_page": 50,
    }
    one = client.get(url(event, session))
    assert_documented(spec, "get", ONE, one)
    assert one.json == listed.json["items"][0]
    assert one.json["starts_at"] == f"{SATURDAY}T09:00:00+01:00"
    assert one.json["online_url"] is None
    assert "warnings" not in one.json


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Opening", "Courts online", "Youth panel", "Lunch"]),
        ({"kind": "panel"}, ["Youth panel"]),
        ({"track": "Justice"}, ["Opening", "Courts online"]),
        ({"theme": "youth"}, ["Youth panel"]),
        ({"language": "es"}, ["Courts online", "Youth panel"]),
        ({"kind": "workshop", "language": "es"}, ["Courts online"]),
        ({"kind": "roundtable"}, []),
        ({"per_page": 2}, ["Opening", "Courts online"]),
        ({"per_page": 3, "page": 2}, ["Lunch"]),
        ({"page": 3, "per_page": 2}, []),
    ],
)
def test_the_list_filters_and_paginates(client, event, query, expected):
    # Added out of order: the list is in time order.
    add(event, "Lunch", (SUNDAY, 12, 0), (SUNDAY, 13, 0), kind="break", room=None)
    add(event, "Opening", track="Justice", theme_id=theme_id("open-justice"))
    add(
        event,
        "Youth panel",
        (SATURDAY, 14, 0),
        (SATURDAY, 15, 0),
        kind="panel",
        theme_id=theme_id("youth"),
        languages=["es", "en"],
    )
    add(
        event,
        "Courts online",
        (SATURDAY, 11, 0),
        (SATURDAY, 12, 0),
        kind="workshop",
        track="Justice",
        languages=["es"],
    )
    response = client.get(url(event), query_string=query)
    assert response.status_code == 200, response.json
    assert [item["title"] for item in response.json["items"]] == expected
    filtered = set(query) - {"page", "per_page"}
    assert response.json["total"] == (len(expected) if filtered else 4)
    assert (response.json["page"], response.json["per_page"]) == (
        query.get("page", 1),
        query.get("per_page", 50),
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 201}, "per_page"),
        ({"page": 0}, "page"),
        ({"track": "a\x00"}, "track"),
    ],
)
def test_bad_list_queries_are_422(client, event, spec, query, field):
    response = client.get(url(event), query_string=query)
    error = assert_error(response, 422, spec)
    assert_documented(spec, "get", LIST, response)
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_events_session_is_not_found(client, event, organiser, spec, method):
    other = make_event(organisers=[organiser], starts_at=utc(SATURDAY, 6))
    theirs = add(other, "Elsewhere")
    kwargs = {"json": {"title": "Moved"}} if method == "patch" else {}
    response = client.open(url(event, theirs), method=method, headers=bearer(organiser), **kwargs)
    assert_error(response, 404, spec)
    assert_documented(spec, method, ONE, response)
    db.session.refresh(theirs)
    assert (theirs.title, theirs.cancelled_at, theirs.event_id) == ("Elsewhere", None, other.id)
    assert client.get(url(other, theirs)).status_code == 200


@pytest.mark.parametrize("session_id", ["999999", "2147483648", "99999999999999999999", "0", "x"])
def test_unknown_session_ids_are_404(client, event, session_id):
    assert_error(client.get(f"{url(event)}/{session_id}"), 404)


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("anonymous", False),
        ("stranger", False),
        ("confirmed", True),
        ("waitlisted", False),
        ("organiser", True),
        ("admin", True),
    ],
)
def test_the_join_link_is_only_for_confirmed_participants_and_organisers(
    client, event, organiser, who, sees_link
):
    session = add(event, online_url=LINK)
    event.capacity = 1
    register(event, registration_input(), actor=make_user())  # takes the only seat
    db.session.commit()
    person = {"organiser": organiser, "admin": make_user(roles=["admin"])}.get(who) or make_user()
    if who == "confirmed":
        event.capacity = 2
    if who in ("confirmed", "waitlisted"):
        registration, _new = register(event, registration_input(), actor=person)
        assert registration.status.value == ("confirmed" if who == "confirmed" else "waitlisted")
    db.session.commit()
    headers = {} if who == "anonymous" else bearer(person)
    link = LINK if sees_link else None
    assert client.get(url(event, session), headers=headers).json["online_url"] == link
    listed = client.get(url(event), headers=headers).json["items"]
    assert [item["online_url"] for item in listed] == [link]


# Warnings -----------------------------------------------------------------------------


def test_warnings_are_answered_to_organisers_and_never_block(client, event, organiser, spec):
    headers = bearer(organiser)
    ben = {"name": "Ben Ode", "sector": "government", "gender": "man"}
    first = client.post(
        url(event),
        json=body(
            title="Panel A",
            kind="panel",
            speakers=[{"name": "Ana Pérez", "sector": "civil_society", "gender": "woman"}, ben],
        ),
        headers=headers,
    )
    assert first.status_code == 201 and first.json["warnings"] == []
    # Ben again, in the same room, half an hour later: both clashes, saved all the same.
    second = client.post(
        url(event),
        json=body(
            title="Panel B",
            kind="panel",
            starts_at=f"{SATURDAY}T10:00:00",
            ends_at=f"{SATURDAY}T11:00:00",
            room=" main HALL",
            speakers=[{**ben, "name": "ben  ode"}, {"name": "Carl", "gender": "male"}],
        ),
        headers=headers,
    )
    assert second.status_code == 201, second.json
    assert_documented(spec, "post", LIST, second)
    pair = [first.json["id"], second.json["id"]]
    assert codes(second.json["warnings"]) == ["all_male_panel", "room_clash", "speaker_clash"]
    clash = next(w for w in second.json["warnings"] if w["code"] == "speaker_clash")
    assert clash["session_ids"] == pair and "Ben Ode" in clash["message"]
    assert session_count() == 2

    # The first session's own warnings now include the clashes; the list has them all.
    one = client.get(url(event, first.json["id"]), headers=headers)
    assert_documented(spec, "get", ONE, one)
    assert codes(one.json["warnings"]) == ["room_clash", "speaker_clash"]
    listed = client.get(url(event), headers=headers)
    assert_documented(spec, "get", LIST, listed)
    assert codes(listed.json["warnings"]) == ["all_male_panel", "room_clash", "speaker_clash"]
    assert [codes(item["warnings"]) for item in listed.json["items"]] == [
        ["room_clash", "speaker_clash"],
        ["all_male_panel", "room_clash", "speaker_clash"],
    ]
    # The warnings of the whole agenda, whatever the page or the filters.
    paged = client.get(url(event), query_string={"per_page": 1, "kind": "panel"}, headers=headers)
    assert len(paged.json["warnings"]) == 3

    # Others never see them.
    for viewer in ({}, bearer(make_user())):
        public = client.get(url(event), headers=viewer).json
        assert "warnings" not in public
        assert all("warnings" not in item for item in public["items"])
        assert "warnings" not in client.get(url(event, first.json["id"]), headers=viewer).json


def test_a_speakers_gender_is_never_answered(client, event, organiser):
    headers = bearer(organiser)
    created = client.post(
        url(event),
        json=body(speakers=[{"name": "Ana Pérez", "gender": "non-binary femme"}]),
        headers=headers,
    )
    assert created.status_code == 201
    speaker = db.session.scalar(select(Speaker))
    assert speaker.gender == "non-binary femme"  # kept for the warnings
    answers = [
        created,
        client.get(url(event), headers=headers),
        client.get(url(event, created.json["id"]), headers=headers),
        client.get(url(event)),
        client.patch(url(event, created.json["id"]), json={"title": "New"}, headers=headers),
    ]
    for response in answers:
        assert response.status_code == 200 or response.status_code == 201
        assert "gender" not in response.get_data(as_text=True)
        assert "femme" not in response.get_data(as_text=True)


# Changing and removing ------------------------------------------------------------------


def test_a_change_keeps_the_fields_not_sent(client, event, organiser, spec):
    session = add(
        event,
        online_url=LINK,
        theme_id=theme_id("youth"),
        capacity=30,
        interpretation=True,
        speakers=[SpeakerInput("Ana Pérez", "Ministry", "government", "woman")],
    )
    before = client.get(url(event, session), headers=bearer(organiser)).json
    response = client.patch(
        url(event, session), json={"title": "Opening, revised"}, headers=bearer(organiser)
    )
    assert response.status_code == 200, response.json
    assert_documented(spec, "patch", ONE, response)
    changed = {k: v for k, v in response.json.items() if before[k] != v}
    assert changed == {"title": "Opening, revised", "sequence": 1}
    assert db.session.scalar(select(Speaker.gender)) == "woman"


def test_a_change_of_time_is_wall_time_in_the_events_zone(client, event, organiser):
    session = add(event)
    response = client.patch(
        url(event, session),
        json={"starts_at": f"{SUNDAY}T09:00:00", "ends_at": f"{SUNDAY}T10:00:00"},
        headers=bearer(organiser),
    )
    assert response.json["starts_at"] == f"{SUNDAY}T09:00:00+02:00"
    db.session.refresh(session)
    assert session.starts_at == utc(SUNDAY, 7)
    # The end alone: the start keeps its instant.
    later = client.patch(
        url(event, session), json={"ends_at": f"{SUNDAY}T11:00:00"}, headers=bearer(organiser)
    )
    assert (later.json["starts_at"], later.json["ends_at"]) == (
        f"{SUNDAY}T09:00:00+02:00",
        f"{SUNDAY}T11:00:00+02:00",
    )


def test_a_change_replaces_speakers_clears_fields_and_reports_warnings(client, event, organiser):
    add(event, "Other", speakers=[SpeakerInput("Ben Ode")], room="Room 9")
    session = add(event, "Panel", kind="panel", room="Room 2", theme_id=theme_id("youth"))
    response = client.patch(
        url(event, session),
        json={
            "speakers": [{"name": "Ben Ode"}, {"name": "Ana"}],
            "theme": None,
            "room": None,
            "languages": None,
            "description": None,
        },
        headers=bearer(organiser),
    )
    assert response.status_code == 200, response.json
    assert [s["name"] for s in response.json["speakers"]] == ["Ben Ode", "Ana"]
    assert (response.json["theme"], response.json["room"], response.json["languages"]) == (
        None,
        None,
        [],
    )
    assert codes(response.json["warnings"]) == ["speaker_clash"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": f"{SATURDAY}T08:00:00"}, "ends_at"),
        ({"starts_at": f"{SUNDAY}T02:15:00"}, "starts_at"),
        ({"kind": "party"}, "kind"),
        ({"title": None}, "title"),
        ({"speakers": [{"name": "A", "sector": "aliens"}]}, "speakers.0.sector"),
        ({"theme": "nope"}, "theme"),
    ],
)
def test_a_refused_change_keeps_the_saved_session(client, event, organiser, spec, changes, field):
    session = add(event, speakers=[SpeakerInput("Ana Pérez")])
    response = client.patch(url(event, session), json=changes, headers=bearer(organiser))
    error = assert_error(response, 422, spec)
    assert_documented(spec, "patch", ONE, response)
    assert field in error["fields"]
    db.session.refresh(session)
    assert (session.title, session.kind.value, session.sequence) == (
        "Opening plenary",
        "plenary",
        0,
    )
    assert session.starts_at == utc(SATURDAY, 8)
    assert [s.name for s in session.speakers] == ["Ana Pérez"]


def test_removing_a_published_events_session_cancels_it(client, event, organiser, spec):
    session = add(event)
    response = client.delete(url(event, session), headers=bearer(organiser))
    assert response.status_code == 204
    assert_documented(spec, "delete", ONE, response)
    db.session.refresh(session)
    assert session.cancelled_at is not None and session.sequence == 1
    listed = client.get(url(event)).json["items"]
    assert [(item["id"], item["cancelled"]) for item in listed] == [(session.id, True)]
    # Again: nothing more changes.
    assert client.delete(url(event, session), headers=bearer(organiser)).status_code == 204
    db.session.refresh(session)
    assert session.sequence == 1


def test_removing_a_draft_events_session_deletes_it(client, organiser):
    draft = make_event(status="draft", organisers=[organiser], starts_at=utc(SATURDAY, 6))
    session_id = add(draft, speakers=[SpeakerInput("Ana Pérez")]).id
    response = client.delete(url(draft, session_id), headers=bearer(organiser))
    assert response.status_code == 204 and response.data == b""
    assert session_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Speaker)) == 0
    assert_error(client.get(url(draft, session_id), headers=bearer(organiser)), 404)


# Scale --------------------------------------------------------------------------------


def _fill(event, n: int) -> None:
    """Replace the agenda with `n` sessions of two speakers each, half of them panels."""
    db.session.execute(AgendaSession.__table__.delete())
    youth = theme_id("youth")
    for i in range(n):
        db.session.add(
            AgendaSession(
                event=event,
                title=f"Session {i}",
                kind="panel" if i % 2 else "workshop",
                # Staggered: a few sessions run at once, as in a real agenda.
                starts_at=event.starts_at + timedelta(minutes=5 * i),
                ends_at=event.starts_at + timedelta(minutes=5 * i + 30),
                room=f"Room {i % 7}",
                online_url=LINK,
                theme_id=youth if i % 3 else None,
                languages=["en"],
                speakers=[
                    Speaker(name=f"Speaker {i % 11}", gender="man", position=0),
                    Speaker(name=f"Guest {i}", sector="government", position=1),
                ],
            )
        )
    db.session.commit()


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("anonymous", {}),
        ("participant", {"kind": "panel", "theme": "youth", "per_page": 200}),
        ("organiser", {}),
        ("organiser", {"language": "en", "page": 2, "per_page": 3}),
    ],
)
def test_the_list_takes_as_many_queries_for_500_sessions_as_for_5(
    client, event, organiser, who, query
):
    participant = make_user()
    register(event, registration_input(), actor=participant)
    db.session.commit()
    headers = {
        "anonymous": {},
        "participant": bearer(participant),
        "organiser": bearer(organiser),
    }[who]
    client.get(url(event), headers=headers)  # records the token's first use

    def count(n: int) -> int:
        _fill(event, n)
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(url(event), query_string=query, headers=headers)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)
        assert response.status_code == 200, response.json
        assert response.json["items"] and response.json["items"][0]["speakers"]
        assert ("warnings" in response.json) == (who == "organiser")
        return len(statements)

    few, many = count(5), count(500)
    assert few == many
    assert few < 15


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_at": f"{YEAR}-02-30T09:00:00"},
            "starts_at",
            f"The date {YEAR}-02-30 does not exist: check the day and the month.",
        ),
        ({"ends_at": f"{SATURDAY}T24:61:00"}, "ends_at", "The time 24:61:00 does not exist"),
        ({"ends_at": f"{SATURDAY}T10:30:00+25:00"}, "ends_at", "Not a valid datetime."),
        ({"starts_at": "tomorrow"}, "starts_at", "Not a valid datetime."),
    ],
)
def test_an_impossible_date_or_time_says_it_does_not_exist(
    client, event, organiser, changes, field, message
):
    response = client.post(url(event), json=body(**changes), headers=bearer(organiser))
    [said] = assert_error(response, 422)["fields"][field]
    assert said.startswith(message)
    assert session_count() == 0
