"""iCalendar feeds: RFC 5545 properties, timezones across DST, updates, cancellations,
private feeds, and the HTTP caching that keeps polling cheap."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert
from werkzeug.http import http_date, parse_date

from convene.extensions import db
from convene.models import AgendaSession, Event, utcnow
from convene.services import agenda, calendars
from convene.services import registration as reg

from .dates import MONDAY, SATURDAY, SUNDAY, day, utc, wall
from .factories import make_event, make_user, registration_input

PARIS_DAY_AFTER_DST = utc(SUNDAY, 7)  # 09:00 in Paris (UTC+2)


@pytest.fixture
def organiser(app):
    return make_user(name="Olga Organiser")


@pytest.fixture
def event(organiser):
    e = make_event(
        title="Open Justice Days",
        organisers=[organiser],
        timezone="Europe/Paris",
        online_url="https://meet.example.org/secret",
    )
    e.starts_at = utc(SATURDAY, 7)
    e.ends_at = utc(MONDAY, 16)
    db.session.commit()
    return e


def add_session(event, organiser, **changes):
    values = dict(
        title="Courts online",
        kind="workshop",
        starts_at=wall(SUNDAY, 9),
        ends_at=wall(SUNDAY, 10, 30),
        room="Salle 2",
        languages=["fr"],
        speakers=[agenda.SpeakerInput(name="Élodie Brun", affiliation="Tribunal")],
    )
    values.update(changes)
    session = agenda.create_session(organiser, event, agenda.SessionInput(**values))
    db.session.commit()
    return session


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.data
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    return icalendar.Calendar.from_ical(raw)


def vevents(calendar):
    return {str(c["uid"]): c for c in calendar.walk("VEVENT")}


def test_the_event_feed_has_every_property(client, event, organiser):
    event.contact_email = "justice@testland.example.org"
    session = add_session(event, organiser)
    calendar = parse(client.get(f"/events/{event.slug}.ics"))
    for name in ("VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME"):
        assert name in calendar
    items = vevents(calendar)
    assert set(items) == {
        f"event-{event.id}@convene.events",
        f"session-{session.id}@convene.events",
    }
    item = items[f"session-{session.id}@convene.events"]
    assert item["dtstart"].params["TZID"] == "Europe/Paris"
    assert item.decoded("dtstart").astimezone(UTC) == PARIS_DAY_AFTER_DST
    assert item.decoded("dtstart").hour == 9
    assert item.decoded("dtstamp").tzinfo is not None
    for name in (
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "URL",
        "ORGANIZER",
        "LAST-MODIFIED",
        "SEQUENCE",
        "STATUS",
    ):
        assert name in item, name
    assert "Élodie Brun (Tribunal)" in str(item["description"])
    assert "Salle 2" in str(item["location"])
    assert str(item["status"]) == "CONFIRMED"
    assert "meet.example.org" not in client.get(f"/events/{event.slug}.ics").data.decode()
    timezones = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    assert timezones == {"Europe/Paris"}


def test_vtimezone_is_right_across_dst_in_paris_and_santiago(organiser):
    golden = {
        "Europe/Paris": [
            ("20310330T020000", "+0100", "+0200"),
            ("20311026T030000", "+0200", "+0100"),
        ],
        "America/Santiago": [
            ("20310406T000000", "-0300", "-0400"),
            ("20310907T000000", "-0400", "-0300"),
        ],
    }
    for tzid, changes in golden.items():
        text = (
            calendars.vtimezone(tzid, datetime(2031, 1, 1).date(), datetime(2032, 1, 1).date())
            .to_ical()
            .decode()
        )
        for onset, before, after in changes:
            block = text.split(f"DTSTART:{onset}")[1].split("END:")[0]
            assert f"TZOFFSETFROM:{before}" in block and f"TZOFFSETTO:{after}" in block, tzid


def test_long_french_and_spanish_descriptions_fold_safely(client, event, organiser):
    event.description = (
        "Les juridictions publient leurs décisions; " * 20
        + "Los tribunales publican sus sentencias — ¿cómo? " * 20
    )
    db.session.commit()
    calendar = parse(client.get(f"/events/{event.slug}.ics"))
    item = vevents(calendar)[f"event-{event.id}@convene.events"]
    assert str(item["description"]).startswith(event.description.strip())


def test_an_edit_raises_sequence_and_last_modified_never_the_uid(client, event, organiser):
    session = add_session(event, organiser)
    before = vevents(parse(client.get(f"/events/{event.slug}.ics")))
    agenda.update_session(
        organiser,
        session,
        agenda.SessionInput(
            title="Courts online",
            kind="workshop",
            starts_at=wall(SUNDAY, 11),
            ends_at=wall(SUNDAY, 12),
            room="Salle 2",
            languages=["fr"],
            speakers=[agenda.SpeakerInput(name="Élodie Brun", affiliation="Tribunal")],
        ),
    )
    db.session.commit()
    after = vevents(parse(client.get(f"/events/{event.slug}.ics")))
    uid = f"session-{session.id}@convene.events"
    assert set(before) == set(after)
    assert int(after[uid]["sequence"]) > int(before[uid]["sequence"])
    assert after[uid].decoded("last-modified") >= before[uid].decoded("last-modified")


def test_a_cancelled_session_stays_marked_cancelled(client, event, organiser):
    session = add_session(event, organiser)
    agenda.cancel_session(organiser, session)
    db.session.commit()
    item = vevents(parse(client.get(f"/events/{event.slug}.ics")))[
        f"session-{session.id}@convene.events"
    ]
    assert str(item["status"]) == "CANCELLED"
    one = parse(client.get(f"/events/{event.slug}/sessions/{session.id}.ics"))
    assert [str(c["status"]) for c in one.walk("VEVENT")] == ["CANCELLED"]


def test_all_and_theme_feeds_list_public_events_with_cancelled_ones_marked(client, organiser):
    from convene.services import events as event_service

    public = make_event(title="Public one")
    make_event(title="Hidden draft", status="draft")
    cancelled = make_event(title="Called off", organisers=[organiser])
    event_service.cancel_event(organiser, cancelled, "Sorry.")
    db.session.commit()
    items = vevents(parse(client.get("/calendar.ics")))
    assert set(items) == {
        f"event-{public.id}@convene.events",
        f"event-{cancelled.id}@convene.events",
    }
    assert str(items[f"event-{cancelled.id}@convene.events"]["status"]) == "CANCELLED"
    assert client.get("/themes/open-justice.ics").status_code == 200
    assert client.get("/themes/no-such-theme.ics").status_code == 404
    assert client.get("/events/no-such-event.ics").status_code == 404


def test_private_feed_shows_join_links_only_to_confirmed_people(client, app, event):
    event.capacity = 1
    db.session.commit()
    confirmed, waiting = make_user(), make_user()
    for person in (confirmed, waiting):
        reg.register(event, registration_input(), actor=person)
    db.session.commit()
    tokens = {p.id: calendars.regenerate_feed_token(p) for p in (confirmed, waiting)}
    db.session.commit()
    mine = client.get(f"/me/calendar/{tokens[confirmed.id]}.ics")
    assert mine.headers["Cache-Control"].startswith("private")
    assert "meet.example.org/secret" in mine.data.decode()
    theirs = client.get(f"/me/calendar/{tokens[waiting.id]}.ics")
    assert "meet.example.org" not in theirs.data.decode()
    [item] = parse(theirs).walk("VEVENT")
    assert str(item["status"]) == "TENTATIVE"
    old = tokens[confirmed.id]
    calendars.regenerate_feed_token(confirmed)
    db.session.commit()
    assert client.get(f"/me/calendar/{old}.ics").status_code == 404
    for bad in ("x", "999-abc", "1-" + "a" * 200, f"{confirmed.id}-"):
        assert client.get(f"/me/calendar/{bad}.ics").status_code == 404


def test_conditional_requests_answer_304_without_building(client, app, event, monkeypatch):
    first = client.get(f"/events/{event.slug}.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    def refuse():
        raise AssertionError("the feed was built")

    monkeypatch.setattr(calendars.EventFeed, "build", lambda self: refuse())
    again = client.get(f"/events/{event.slug}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get(f"/events/{event.slug}.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    cached = client.get(f"/events/{event.slug}.ics")  # unchanged: served from the cache
    assert cached.status_code == 200 and cached.data == first.data
    head = client.head(f"/events/{event.slug}.ics")
    assert head.status_code == 200 and head.data == b""
    download = client.get(f"/events/{event.slug}.ics?download=1")
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_change_gives_a_new_etag(client, event, organiser):
    before = client.get(f"/events/{event.slug}.ics").headers["ETag"]
    add_session(event, organiser)
    assert client.get(f"/events/{event.slug}.ics").headers["ETag"] != before


def count_statements(fn):
    statements = []

    def listener(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_building_takes_the_same_queries_for_5_and_5000_sessions(app, event):
    def build_with(n):
        db.session.execute(AgendaSession.__table__.delete())
        db.session.execute(
            insert(AgendaSession),
            [
                dict(
                    event_id=event.id,
                    title=f"S{i}",
                    description="",
                    kind="workshop",
                    starts_at=event.starts_at + timedelta(seconds=i),
                    ends_at=event.starts_at + timedelta(seconds=i, minutes=30),
                    languages=[],
                    interpretation=False,
                    sequence=0,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
                for i in range(n)
            ],
        )
        db.session.commit()
        feed = calendars.EventFeed(event)
        return count_statements(feed.build)

    assert build_with(5) == build_with(5000)


def test_a_304_costs_no_more_than_one_query(client, event):
    etag = client.get(f"/events/{event.slug}.ics").headers["ETag"]
    for feed in (calendars.EventFeed(event), calendars.EventsFeed()):
        assert count_statements(feed.version) <= 1
    assert (
        client.get(f"/events/{event.slug}.ics", headers={"If-None-Match": etag}).status_code == 304
    )


def test_the_my_calendar_page_creates_regenerates_and_revokes(client, auth, app):
    person = make_user()
    auth.sign_in(person.email)
    assert b"no private calendar address yet" in client.get("/me/calendar").data
    client.post("/me/calendar/regenerate")
    db.session.refresh(person)
    first = calendars.feed_token(person)
    page = client.get("/me/calendar").data.decode()
    assert f"http://convene.test/me/calendar/{first}.ics" in page
    assert f"webcal://convene.test/me/calendar/{first}.ics" in page
    assert client.get(f"/me/calendar/{first}.ics").status_code == 200
    client.post("/me/calendar/regenerate")
    assert client.get(f"/me/calendar/{first}.ics").status_code == 404
    client.post("/me/calendar/revoke")
    db.session.refresh(person)
    assert calendars.feed_token(person) is None
    assert client.get("/me/calendar").status_code == 200


def test_registration_attachment_is_published_and_cancelled(app, event):
    event.contact_email = "justice@testland.example.org"
    person = make_user()
    registration, _ = reg.register(event, registration_input(), actor=person)
    db.session.commit()
    name, kind, body = calendars.registration_attachment(registration)
    calendar = icalendar.Calendar.from_ical(body)
    assert (name, kind, str(calendar["method"])) == (
        f"{event.slug}.ics",
        "text/calendar",
        "PUBLISH",
    )
    [confirmed] = calendar.walk("VEVENT")
    assert "meet.example.org/secret" in str(confirmed["description"])
    reg.cancel(registration)
    db.session.commit()
    [cancelled] = icalendar.Calendar.from_ical(
        calendars.registration_attachment(registration)[2]
    ).walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) > int(confirmed["sequence"])
    assert (
        str(cancelled["uid"]) == str(confirmed["uid"]) == calendars.registration_uid(registration)
    )
    assert "meet.example.org" not in str(cancelled["description"])


def test_the_follow_up_feed_lists_due_dates_and_milestones(client, event, organiser):
    from convene.services import followup

    from .factories import make_member

    calendar = parse(client.get(f"/events/{event.slug}/follow-up.ics"))
    assert "follow-up" in str(calendar["x-wr-calname"])
    assert calendar.walk("VEVENT") == []
    member = make_member(name="Government of Testland")
    commitment = followup.create_commitment(
        organiser,
        event,
        followup.CommitmentInput(
            member_id=member.id,
            title="Publish decisions",
            due_date=day(276),
            milestones=[("Pilot court", day(92))],
        ),
    )
    db.session.commit()
    items = vevents(parse(client.get(f"/events/{event.slug}/follow-up.ics")))
    due = items[f"commitment-{commitment.id}@convene.events"]
    assert due.decoded("dtstart") == day(276)
    assert "Government of Testland" in str(due["summary"])
    assert f"milestone-{commitment.milestones[0].id}@convene.events" in items


def test_pages_offer_download_and_subscribe_links(client, event, organiser):
    session = add_session(event, organiser)
    agenda_page = client.get(f"/events/{event.slug}/agenda").data.decode()
    assert f"/events/{event.slug}/sessions/{session.id}.ics?download=1" in agenda_page
    assert f"webcal://convene.test/events/{event.slug}.ics" in agenda_page
    listing = client.get("/events/").data.decode()
    assert "webcal://convene.test/calendar.ics" in listing


def assert_conditional(client, address: str) -> None:
    """RFC 9110 §13.1.2 and §13.2.2: If-None-Match compares weakly, takes a list of tags
    or `*`, and makes If-Modified-Since ignored; If-Modified-Since alone still works."""
    first = client.get(address)
    assert first.status_code == 200, address
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    opaque = etag.removeprefix("W/")
    old = http_date(parse_date(modified) - timedelta(days=1))

    def status(**headers):
        return client.get(address, headers=headers).status_code

    assert status(**{"If-None-Match": etag}) == 304, address
    assert status(**{"If-None-Match": f"W/{opaque}"}) == 304, address
    assert status(**{"If-None-Match": f'"other", {etag}'}) == 304, address
    assert status(**{"If-None-Match": f'W/"other", W/{opaque}'}) == 304, address
    assert status(**{"If-None-Match": "*"}) == 304, address
    assert status(**{"If-None-Match": '"other"'}) == 200, address
    assert status(**{"If-None-Match": '"other"', "If-Modified-Since": modified}) == 200, address
    assert status(**{"If-None-Match": etag, "If-Modified-Since": old}) == 304, address
    assert status(**{"If-Modified-Since": modified}) == 304, address
    assert status(**{"If-Modified-Since": old}) == 200, address
    assert status(**{"If-Match": '"other"'}) == 412, address
    not_modified = client.get(address, headers={"If-None-Match": f"W/{opaque}"})
    assert not_modified.data == b"" and not_modified.headers["ETag"] == etag


def test_every_feed_answers_conditional_requests_as_rfc_9110_says(client, app, event, organiser):
    session = add_session(event, organiser)
    person = make_user()
    reg.register(event, registration_input(), actor=person)
    token = calendars.regenerate_feed_token(person)
    db.session.commit()
    for address in (
        "/calendar.ics",
        "/themes/open-justice.ics",
        f"/events/{event.slug}.ics",
        f"/events/{event.slug}.ics?lang=fr",
        f"/events/{event.slug}/sessions/{session.id}.ics",
        f"/events/{event.slug}/follow-up.ics",
        f"/me/calendar/{token}.ics",
    ):
        assert_conditional(client, address)


def test_files_answer_conditional_requests_as_rfc_9110_says(client, app, event, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    event.image_path = "picture.png"
    db.session.commit()
    try:
        assert_conditional(client, f"/events/{event.slug}/image")
    finally:
        app.config.pop("UPLOAD_FOLDER")
    assert_conditional(client, "/static/css/convene.css")


def test_every_other_answer_with_an_etag_is_conditional(client, app, event):
    """Any page without arguments that sends an ETag honours conditional requests too."""
    with_etag = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            response = client.get(rule.rule)
            if response.status_code == 200 and "ETag" in response.headers:
                with_etag.append(rule.rule)
    assert "/calendar.ics" in with_etag
    for address in with_etag:
        assert_conditional(client, address)


def organizers(client, event, person) -> dict[str, str | None]:
    """The ORGANIZER each calendar of `event` gives (None: left out), and the METHOD of
    the person's e-mail attachment."""
    registration = reg.registration_of(person, event)
    found = {}
    for address in (f"/events/{event.slug}.ics", "/calendar.ics"):
        for item in parse(client.get(address)).walk("VEVENT"):
            found[f"{address} {item['uid']}"] = item.get("organizer")
    attachment = icalendar.Calendar.from_ical(calendars.registration_attachment(registration)[2])
    [item] = attachment.walk("VEVENT")
    found["attachment"] = item.get("organizer")
    found["attachment METHOD"] = attachment.get("method")
    return {k: (str(v) if v is not None else None) for k, v in found.items()}


@pytest.mark.parametrize(
    "sender",
    [
        "convene <no-reply@localhost>",  # the default
        "no-reply@mail.localhost",
        "convene@server",
        "events@partnership.invalid",
        "events@box.local",
        "",
    ],
)
def test_no_calendar_names_a_placeholder_organiser(client, app, event, organiser, sender):
    add_session(event, organiser)
    person = make_user()
    reg.register(event, registration_input(), actor=person)
    db.session.commit()
    app.config["MAIL_DEFAULT_SENDER"] = sender
    try:
        found = organizers(client, event, person)
    finally:
        app.config["MAIL_DEFAULT_SENDER"] = "convene <no-reply@localhost>"
    # No ORGANIZER at all rather than a made-up one; then no METHOD:PUBLISH either, which
    # RFC 5546 allows only with an ORGANIZER: the attachment is a plain calendar object.
    assert set(found.values()) == {None}, found


def test_the_organiser_is_the_event_contact_or_else_the_configured_sender(
    client, app, event, organiser
):
    add_session(event, organiser)
    person = make_user()
    reg.register(event, registration_input(), actor=person)
    db.session.commit()
    app.config["MAIL_DEFAULT_SENDER"] = "Partnership events <events@partnership.example.org>"
    try:
        by_sender = organizers(client, event, person)
        event.contact_email = "justice@testland.example.org"
        db.session.commit()
        by_contact = organizers(client, event, person)
    finally:
        app.config["MAIL_DEFAULT_SENDER"] = "convene <no-reply@localhost>"
    method = by_sender.pop("attachment METHOD")
    assert method == by_contact.pop("attachment METHOD") == "PUBLISH"
    assert set(by_sender.values()) == {"mailto:events@partnership.example.org"}
    assert set(by_contact.values()) == {"mailto:justice@testland.example.org"}


def event_form(event, **changes) -> dict:
    """The event's details as its manage page posts them, with `changes`."""
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    data = {
        "title": event.title,
        "description": event.description or "",
        "themes": [t.id for t in event.themes],
        "format": event.format.value,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + (event.ends_at - event.starts_at)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": event.timezone,
        "city": event.city or "",
        "country": event.country or "",
        "online_url": event.online_url or "",
        "languages": ["en"],
    }
    data.update(changes)
    return data


BAD_CONTACTS = ["not an address", "events@localhost", "events@box.local", "events@-bad-.org"]


def test_organisers_set_the_public_contact_on_the_manage_page(client, auth, event, organiser):
    auth.sign_in(organiser.email)
    address = f"/events/{event.slug}/manage/details"
    assert 'name="contact_email"' in client.get(address).get_data(as_text=True)
    for bad in BAD_CONTACTS:
        response = client.post(address, data=event_form(event, contact_email=bad))
        assert response.status_code == 422, bad  # the form again, with the field's error
        assert "valid e-mail address" in response.get_data(as_text=True), bad
        db.session.expire_all()
        assert db.session.get(Event, event.id).contact_email is None
    sequence = event.sequence
    response = client.post(address, data=event_form(event, contact_email="justice@testland.org"))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved.contact_email == "justice@testland.org"
    assert saved.sequence == sequence + 1  # every calendar shows the new ORGANIZER
    [item] = [i for i in parse(client.get(f"/events/{event.slug}.ics")).walk("VEVENT")]
    assert str(item["organizer"]) == "mailto:justice@testland.org"
    shown = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert 'href="mailto:justice@testland.org"' in shown  # the public contact, on its page
    client.post(address, data=event_form(saved, contact_email=""))
    db.session.expire_all()
    assert db.session.get(Event, event.id).contact_email is None


def test_organisers_set_the_public_contact_through_the_api(client, event, organiser):
    from convene.services import accounts

    from .test_api import assert_error

    _token, secret = accounts.create_api_token(organiser, "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    address = f"/api/v1/events/{event.id}"
    for bad in [*BAD_CONTACTS, "x" * 300 + "@b.org"]:
        error = assert_error(
            client.patch(address, json={"contact_email": bad}, headers=headers), 422
        )
        assert "contact_email" in error["fields"], bad
    assert client.get(address).get_json()["contact_email"] is None
    set_ = client.patch(address, json={"contact_email": "Justice@Testland.ORG"}, headers=headers)
    assert set_.status_code == 200 and set_.get_json()["contact_email"] == "Justice@testland.org"
    kept = client.patch(address, json={"title": "Open Justice Days II"}, headers=headers)
    assert kept.get_json()["contact_email"] == "Justice@testland.org"  # not sent: kept
    cleared = client.patch(address, json={"contact_email": None}, headers=headers)
    assert cleared.get_json()["contact_email"] is None
