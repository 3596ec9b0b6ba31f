"""Agenda pages: the public agenda in two timezones, the organisers' editor and CSV import,
stars and one's own agenda, and a query count that does not grow with the agenda."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import AgendaSession, Speaker, Star, Theme
from convene.services import agenda
from convene.services.agenda import SessionInput, SpeakerInput
from convene.services.registration import register

from .dates import MONDAY, SATURDAY, SUNDAY, YEAR, utc, wall
from .factories import PASSWORD, make_event, make_user, registration_input


@pytest.fixture
def organiser(app):
    return make_user(name="Olga Organiser")


@pytest.fixture
def event(organiser):
    # Three days around the night Paris moves its clocks forward (tests/dates.py).
    e = make_event(organisers=[organiser], timezone="Europe/Paris", slug="dst-forum")
    e.starts_at = utc(SATURDAY, 6)
    e.ends_at = utc(MONDAY, 18)
    db.session.commit()
    return e


def as_person(app, person):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def add(event, title="Opening plenary", start=(SATURDAY, 9, 0), end=(SATURDAY, 10, 30), **changes):
    """A session typed in the event's timezone: (day, hour, minute) at each end."""
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


def item(page: str, session_id: int) -> str:
    """The HTML of one session on the agenda page."""
    start = page.index(f'id="session-{session_id}"')
    return page[start : page.index("</li>", start)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def day_shift(html: str) -> str | None:
    found = re.search(r'class="day-shift">([^<]*)<', html)
    return found.group(1) if found else None


def session_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AgendaSession))


# The public agenda -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer_tz", "signed_in", "expected"),
    [
        (
            "America/Santiago",
            True,
            {
                "sat": ("12:00–13:00 -03", None),
                "sun": ("11:00–12:00 -03", None),
                "night": ("20:30–21:30", "−1 day"),
            },
        ),
        (
            "Asia/Tokyo",
            False,
            {
                "sat": ("00:00–01:00 JST", "+1 day"),
                "sun": ("23:00–00:00 JST", None),
                "night": ("08:30–09:30", None),
            },
        ),
    ],
)
def test_agenda_by_day_in_the_event_timezone_with_the_viewer_time_across_dst(
    app, client, event, viewer_tz, signed_in, expected
):
    sat = add(event, "Saturday late", start=(SATURDAY, 16, 0), end=(SATURDAY, 17, 0))
    sun = add(event, "Sunday late", start=(SUNDAY, 16, 0), end=(SUNDAY, 17, 0))
    # Half past midnight in Paris is still Saturday in UTC: it belongs to Sunday here.
    night = add(event, "After midnight", start=(SUNDAY, 0, 30), end=(SUNDAY, 1, 30))
    if signed_in:
        client = as_person(app, make_user(timezone=viewer_tz))
        page = client.get("/events/dst-forum/agenda").data.decode()
    else:
        page = client.get(f"/events/dst-forum/agenda?tz={viewer_tz}").data.decode()

    saturday = page.index(f"Saturday, March {SATURDAY.day}, {YEAR}")
    sunday = page.index(f"Sunday, March {SUNDAY.day}, {YEAR}")
    assert saturday < page.index(f'id="session-{sat.id}"') < sunday
    assert sunday < page.index(f'id="session-{night.id}"') < page.index(f'id="session-{sun.id}"')
    # The event's own time: winter time on Saturday, summer time from Sunday 02:00.
    assert "16:00 – 17:00 CET" in text(item(page, sat.id))
    assert "16:00 – 17:00 CEST" in text(item(page, sun.id))
    assert "00:30 – 01:30 CET" in text(item(page, night.id))

    for session, key in ((sat, "sat"), (sun, "sun"), (night, "night")):
        times, shift = expected[key]
        html = item(page, session.id)
        assert f"your time: {times}" in text(html).replace(" – ", "–")
        assert day_shift(html) == shift
    assert f"Your own time, in {viewer_tz}" in page


def test_viewers_in_the_event_timezone_see_one_time(client, event):
    session = add(event)
    page = client.get("/events/dst-forum/agenda?tz=Europe/Paris").data.decode()
    assert "your time" not in item(page, session.id)
    # An unknown zone is ignored: UTC, the default for anonymous viewers.
    page = client.get("/events/dst-forum/agenda?tz=Mars/Olympus").data.decode()
    assert "your time: 08:00–09:30" in text(item(page, session.id)).replace(" – ", "–")


def test_filters_by_track_theme_language_and_kind(client, event):
    justice = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
    a = add(event, "Courts", kind="panel", track="Justice", theme_id=justice.id, languages=["fr"])
    b = add(
        event,
        "Data",
        start=(SATURDAY, 11, 0),
        end=(SATURDAY, 12, 0),
        kind="workshop",
        track="Digital",
    )
    c = add(
        event,
        "Lunch",
        start=(SATURDAY, 12, 0),
        end=(SATURDAY, 13, 0),
        kind="break",
        languages=["es"],
    )

    def shown(query):
        page = client.get(f"/events/dst-forum/agenda?{query}").data.decode()
        return {s.id for s in (a, b, c) if f'id="session-{s.id}"' in page}, page

    assert shown("")[0] == {a.id, b.id, c.id}
    assert shown("track=Digital")[0] == {b.id}
    assert shown(f"theme={justice.id}")[0] == {a.id}
    assert shown("language=es")[0] == {c.id}
    assert shown("kind=panel")[0] == {a.id}
    assert shown("kind=workshop&language=fr")[0] == set()
    found, page = shown("kind=break")
    assert "1 of 3 sessions match." in page
    # A value the agenda does not offer is ignored rather than an error.
    assert shown("kind=party&theme=x")[0] == {a.id, b.id, c.id}


def test_the_online_link_is_for_confirmed_participants_and_organisers(app, client, event):
    event.capacity = 1
    db.session.commit()
    confirmed, waitlisted = make_user(), make_user()
    for person in (confirmed, waitlisted):
        register(event, registration_input(), actor=person)
        db.session.commit()
    session = add(event, online_url="https://meet.example.org/secret-room")
    link = "https://meet.example.org/secret-room"
    assert link not in client.get("/events/dst-forum/agenda").data.decode()
    for person, sees in ((waitlisted, False), (confirmed, True), (event.organisers[0].user, True)):
        page = as_person(app, person).get("/events/dst-forum/agenda").data.decode()
        assert (link in item(page, session.id)) is sees


def test_drafts_are_hidden_from_all_but_organisers(app, client, organiser):
    draft = make_event(organisers=[organiser], status="draft", slug="draft-forum")
    add(draft)
    assert client.get("/events/draft-forum/agenda").status_code == 404
    assert as_person(app, make_user()).get("/events/draft-forum/agenda").status_code == 404
    page = as_person(app, organiser).get("/events/draft-forum/agenda")
    assert page.status_code == 200 and "This event is a draft" in page.data.decode()


def test_cancelled_sessions_stay_struck_through(app, event):
    session = add(event, "Old idea")
    organiser = as_person(app, event.organisers[0].user)
    response = organiser.post(f"/events/dst-forum/agenda/sessions/{session.id}/cancel")
    assert response.status_code == 302
    page = organiser.get("/events/dst-forum/agenda").data.decode()
    assert "<s>Old idea</s>" in item(page, session.id) and "Cancelled" in item(page, session.id)


def test_user_text_is_escaped(app, client, event):
    session = add(
        event,
        "<script>alert('t')</script>",
        kind="panel",
        room="<i>room</i>",
        speakers=[
            SpeakerInput(name="<b>Bold</b>", affiliation="<img src=x>", gender="man"),
            SpeakerInput(name="Carl", gender="man"),
        ],
    )
    person = make_user()
    agenda.star(person, session)
    db.session.commit()
    pages = [
        client.get("/events/dst-forum/agenda"),
        as_person(app, event.organisers[0].user).get("/events/dst-forum/agenda/manage"),
        as_person(app, person).get("/me/agenda"),
    ]
    pages = [response.data.decode() for response in pages]
    for page in pages:
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    for page in pages[:2]:
        assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page
        assert "<img src=x>" not in page and "<i>room</i>" not in page
    assert "only men" in pages[1]  # the warning quotes the title, escaped too


# Query counts ------------------------------------------------------------------------


def _fill(event, n):
    """`n` sessions five minutes apart, each overlapping the next three; the last a panel."""
    db.session.execute(AgendaSession.__table__.delete())
    theme = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
    for i in range(n):
        starts = event.starts_at + timedelta(minutes=5 * i)
        db.session.add(
            AgendaSession(
                event=event,
                title=f"Session {i}",
                kind="panel" if i % 2 or i == n - 1 else "workshop",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=20),
                room=f"Room {i % 7}",
                track=f"Track {i % 3}",
                theme=theme,
                languages=["en", "fr"],
                online_url="https://meet.example.org/x",
                speakers=[
                    Speaker(name=f"Speaker {i}", position=0),
                    Speaker(name="Ana", position=1),
                ],
            )
        )
    db.session.commit()
    return db.session.scalars(select(AgendaSession.id).order_by(AgendaSession.id)).all()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("participant", "/events/dst-forum/agenda"),
        ("participant", "/events/dst-forum/agenda?kind=panel&language=fr"),
        ("anonymous", "/events/dst-forum/agenda?tz=Asia/Tokyo"),
        ("organiser", "/events/dst-forum/agenda/manage"),
        ("participant", "/me/agenda"),
    ],
)
def test_queries_do_not_grow_with_the_agenda(app, event, organiser, who, url):
    participant = make_user()
    register(event, registration_input(), actor=participant)
    db.session.commit()
    client = {
        "participant": lambda: as_person(app, participant),
        "organiser": lambda: as_person(app, organiser),
        "anonymous": app.test_client,
    }[who]()

    def count(n):
        ids = _fill(event, n)
        for session_id in {*ids[::2], ids[-1]}:
            db.session.add(Star(user_id=participant.id, session_id=session_id))
        db.session.commit()
        statements = []

        def listener(*args):
            statements.append(args[2])

        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = client.get(url)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        assert f"Session {n - 1}<" in response.data.decode()
        return len(statements)

    few, many = count(5), count(500)
    assert few == many
    assert few < 20


# The organisers' editor --------------------------------------------------------------


def form(**changes):
    data = {
        "title": "Panel on courts",
        "kind": "panel",
        "starts_at": f"{SATURDAY}T09:00",
        "ends_at": f"{SATURDAY}T10:30",
        "room": "Main hall",
        "online_url": "",
        "track": "Justice",
        "theme_id": "",
        "languages": ["en", "fr"],
        "interpretation": "y",
        "capacity": "",
        "speakers-0-name": "Ben Ode",
        "speakers-0-affiliation": "Ministry of Justice",
        "speakers-0-sector": "government",
        "speakers-0-gender": "man",
        "speakers-1-name": "",
        "speakers-2-name": "Carl Dum",
        "speakers-2-sector": "government",
        "speakers-2-gender": "Male",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/events/dst-forum/agenda/manage"),
        ("get", "/events/dst-forum/agenda/sessions/new"),
        ("post", "/events/dst-forum/agenda/sessions/new"),
        ("get", "/events/dst-forum/agenda/sessions/{id}/edit"),
        ("post", "/events/dst-forum/agenda/sessions/{id}/edit"),
        ("post", "/events/dst-forum/agenda/sessions/{id}/cancel"),
        ("post", "/events/dst-forum/agenda/sessions/{id}/delete"),
        ("get", "/events/dst-forum/agenda/import"),
        ("post", "/events/dst-forum/agenda/import"),
    ],
)
def test_the_editor_is_for_organisers(app, client, event, method, path):
    session = add(event)
    url = path.format(id=session.id)
    outsider = as_person(app, make_user())
    assert getattr(outsider, method)(url, data=form()).status_code == 403
    response = getattr(client, method)(url, data=form())
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    db.session.refresh(session)
    assert session_count() == 1 and session.cancelled_at is None
    assert session.title == "Opening plenary"


def test_a_session_is_reached_only_through_its_own_event(app, event, organiser):
    other = make_event(organisers=[organiser], slug="other-forum")
    session = add(other)
    client = as_person(app, organiser)
    assert client.get(f"/events/dst-forum/agenda/sessions/{session.id}/edit").status_code == 404
    assert client.post(f"/events/dst-forum/agenda/sessions/{session.id}/cancel").status_code == 404
    assert client.get(f"/events/other-forum/agenda/sessions/{session.id}/edit").status_code == 200


def test_create_then_edit_with_warnings_flashed(app, event, organiser):
    client = as_person(app, organiser)
    page = client.get("/events/dst-forum/agenda/sessions/new").data.decode()
    assert "In the event&#39;s timezone, Europe/Paris." in page
    assert page.count('name="speakers-4-name"') == 1  # five blank rows to fill
    assert "used only for the panel-balance warnings" in page

    response = client.post("/events/dst-forum/agenda/sessions/new", data=form())
    assert response.status_code == 302
    session = db.session.scalar(select(AgendaSession))
    assert session.starts_at.isoformat() == f"{SATURDAY}T08:00:00+00:00"
    assert [(s.name, s.position) for s in session.speakers] == [("Ben Ode", 0), ("Carl Dum", 1)]
    assert session.interpretation and session.languages == ["en", "fr"]
    page = client.get(response.headers["Location"]).data.decode()
    assert "Session added." in page
    assert "The panel “Panel on courts” has only men as speakers." in page  # flashed
    assert "Every speaker of the panel “Panel on courts” is from the same sector." in page

    # A second session in the same room at the same time: saved, with the clash flashed.
    response = client.post(
        "/events/dst-forum/agenda/sessions/new",
        data=form(title="Workshop", kind="workshop", **{"speakers-0-name": "Ana"}),
    )
    assert response.status_code == 302 and session_count() == 2
    page = client.get(response.headers["Location"]).data.decode()
    assert "Room Main hall holds “Panel on courts” and “Workshop” at the same time." in page

    edit = f"/events/dst-forum/agenda/sessions/{session.id}/edit"
    page = client.get(edit).data.decode()
    assert f'value="{SATURDAY}T09:00"' in page and 'value="Ben Ode"' in page
    assert 'name="speakers-6-name"' in page and 'name="speakers-7-name"' not in page
    response = client.post(edit, data=form(title="Panel on open courts", room="Annex"))
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.title == "Panel on open courts" and session.sequence == 1
    page = client.get(response.headers["Location"]).data.decode()
    assert "Changes saved." in page and "has only men as speakers" in page
    assert "Room Main hall holds" not in page


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"starts_at": f"{SUNDAY}T02:30", "ends_at": f"{SUNDAY}T04:00"},
            "starts_at",
            "02:30 does not exist on that day in Europe/Paris",
        ),
        ({"ends_at": f"{SATURDAY}T08:00"}, "ends_at", "The session must end after it starts."),
        ({"starts_at": "tomorrow"}, "starts_at", "Not a valid datetime value."),
        (
            {"starts_at": f"{YEAR}-02-30T09:00"},
            "starts_at",
            f"The date {YEAR}-02-30 does not exist: check the day and the month.",
        ),
        ({"ends_at": f"{SATURDAY}T24:61"}, "ends_at", "The time 24:61 does not exist"),
        ({"starts_at": ""}, "starts_at", "This field is required."),
        ({"title": ""}, "title", "This field is required."),
        ({"online_url": "javascript:alert(1)"}, "online_url", "starting with https://"),
        ({"speakers-2-name": "", "speakers-2-affiliation": "Nobody"}, "speakers-2-name", "name"),
    ],
)
def test_bad_sessions_show_field_errors_and_keep_the_input(
    app, event, organiser, changes, field_id, message
):
    client = as_person(app, organiser)
    response = client.post("/events/dst-forum/agenda/sessions/new", data=form(**changes))
    assert response.status_code == 422
    page = response.data.decode()
    errors = page[page.index(f'id="{field_id}-error"') :][:400]
    assert message in errors
    assert 'value="Ministry of Justice"' in page  # what was typed is kept
    for name, value in changes.items():
        if value and "speakers" not in name:
            assert f'value="{value}"' in page
    assert session_count() == 0


def test_cancel_and_delete(app, event, organiser):
    client = as_person(app, organiser)
    session = add(event)
    response = client.post(f"/events/dst-forum/agenda/sessions/{session.id}/delete")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).data.decode()
    assert "cancelled rather than deleted" in page
    db.session.refresh(session)
    assert session.cancelled_at is not None and session_count() == 1

    draft = make_event(organisers=[organiser], status="draft", slug="draft-forum")
    gone = add(draft)
    manage = client.get("/events/draft-forum/agenda/manage").data.decode()
    assert f"/agenda/sessions/{gone.id}/delete" in manage
    response = client.post(f"/events/draft-forum/agenda/sessions/{gone.id}/delete")
    assert "Session deleted." in client.get(response.headers["Location"]).data.decode()
    assert session_count() == 1


def test_the_editor_lists_every_warning(app, event, organiser):
    a = add(event, "Panel A", kind="panel", speakers=[SpeakerInput(name="Ana Pérez")])
    b = add(event, "Panel B", kind="panel", speakers=[SpeakerInput(name="ana pérez")])
    c = add(event, "Late", start=(MONDAY, 22, 0), end=(MONDAY, 23, 0), room="Annex")
    page = as_person(app, organiser).get("/events/dst-forum/agenda/manage").data.decode()
    assert "3 warnings" in page
    summary = page[page.index('id="warnings-heading"') : page.index("</section>")]
    assert "Ana Pérez speaks in “Panel A” and “Panel B” at the same time." in summary
    assert f'href="#session-{c.id}"' in summary
    row = page[page.index(f'<tr id="session-{a.id}"') :]
    row = row[: row.index("</tr>")]
    assert "speaks in" in row and "Room Main hall holds" in row
    assert f'<tr id="session-{b.id}" class=" has-warnings">' in page


# CSV import --------------------------------------------------------------------------

CSV = (
    "title,kind,date,start,end,room,languages,interpretation,speakers,theme\n"
    f"Opening,plenary,{SATURDAY},09:00,10:00,Main hall,en;fr,yes,"
    "Ana Pérez | Ministry | government | woman,open-justice\n"
    f"Courts online,workshop,{SUNDAY},09:00,10:30,Room 2,es,no,Élodie Brun | Tribunal;Ben Ode,\n"
)


def upload(client, content: bytes, name="agenda.csv"):
    """Post a file as a browser would; the body is built here rather than spooled to a
    temporary file by the test client, which would leave it open."""
    boundary = "convene-test-boundary"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    return client.post(
        "/events/dst-forum/agenda/import",
        data=head.encode() + content + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_the_import_page_explains_the_file(app, event, organiser):
    page = as_person(app, organiser).get("/events/dst-forum/agenda/import").data.decode()
    assert "<code>speakers</code>" in page and "Europe/Paris" in page
    assert f"Opening plenary,plenary,{SATURDAY},09:00" in page  # an example on the event's day


# A French spreadsheet on Windows: semicolons between columns, Windows-1252 accents.
SEMICOLONS = (
    "title;kind;date;start;end;room;languages;interpretation;speakers;theme\n"
    f'Opening;plenary;{SATURDAY};09:00;10:00;Main hall;"en;fr";oui;'
    "Ana Pérez | Ministry | government | woman;open-justice\n"
    f"Courts online;workshop;{SUNDAY};09:00;10:30;Room 2;es;non;"
    '"Élodie Brun | Tribunal;Ben Ode";\n'
)


@pytest.mark.parametrize(
    "content",
    [("\ufeff" + CSV).encode("utf-8"), SEMICOLONS.encode("cp1252")],
    ids=["utf-8 with BOM", "windows-1252 with semicolons"],
)
def test_csv_import(app, event, organiser, content):
    client = as_person(app, organiser)
    response = upload(client, content)
    assert response.status_code == 302, response.data.decode()
    assert "2 sessions imported." in client.get(response.headers["Location"]).data.decode()
    sessions = db.session.scalars(select(AgendaSession).order_by(AgendaSession.starts_at)).all()
    assert [s.title for s in sessions] == ["Opening", "Courts online"]
    assert sessions[0].speakers[0].name == "Ana Pérez" and sessions[0].languages == ["en", "fr"]
    assert [s.name for s in sessions[1].speakers] == ["Élodie Brun", "Ben Ode"]
    assert sessions[1].starts_at.isoformat() == f"{SUNDAY}T07:00:00+00:00"


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (
            CSV + f"Broken,party,{MONDAY},25:00,10:00,,,maybe,,nowhere\n",
            ["<td>4</td><td>start</td>", "<td>4</td><td>interpretation</td>", "Unknown theme"],
        ),
        (b"name,when\nx,y\n", ["<td>1</td><td>title</td><td>This column is missing.</td>"]),
        (b"", ["The file is empty."]),
        (b"  \r\n", ["The file is empty."]),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, ["workbook (.xlsx or .ods)"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not a CSV file: it is not text"]),
        (CSV.encode() * 12_000, ["The file is larger than 2 MB."]),
    ],
    ids=["one bad row", "wrong columns", "empty", "blank", "xlsx", "png", "over 2 MB"],
)
def test_a_bad_csv_imports_nothing_and_says_why(app, event, organiser, content, shown):
    client = as_person(app, organiser)
    response = upload(client, content.encode() if isinstance(content, str) else content)
    assert response.status_code == 422
    page = response.data.decode()
    table = page[page.index('id="problems-heading"') : page.index("</table>")]
    for expected in shown:
        assert expected in table
    assert session_count() == 0


def test_an_import_without_a_file_is_refused(app, event, organiser):
    response = as_person(app, organiser).post("/events/dst-forum/agenda/import", data={})
    assert response.status_code == 422 and "Choose a file to upload." in response.data.decode()


def test_an_upload_over_the_limit_gets_the_413_page(make_app, event, organiser):
    small = make_app(MAX_CONTENT_LENGTH=4096)
    client = as_person(small, organiser)
    response = upload(client, CSV.encode() * 100)
    assert response.status_code == 413 and "larger than convene accepts" in response.data.decode()
    assert session_count() == 0


# Stars and one's own agenda ----------------------------------------------------------


def test_star_unstar_and_my_agenda_with_overlaps(app, client, event):
    a = add(event, "Courts", start=(SATURDAY, 9, 0), end=(SATURDAY, 10, 30))
    b = add(event, "Data", start=(SATURDAY, 10, 0), end=(SATURDAY, 11, 0), room="Annex")
    c = add(event, "Lunch", start=(SATURDAY, 12, 0), end=(SATURDAY, 13, 0), room="Annex")
    person = make_user(timezone="Asia/Tokyo")
    register(event, registration_input(), actor=person)
    db.session.commit()

    anonymous = client.post(f"/events/dst-forum/agenda/sessions/{a.id}/star")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    assert "Add to my agenda" not in client.get("/events/dst-forum/agenda").data.decode()

    newcomer = as_person(app, make_user()).get("/me/agenda").data.decode()
    assert "Your agenda is empty." in newcomer and "Add to my agenda" in newcomer
    me = as_person(app, person)
    back = "/events/dst-forum/agenda?kind=plenary#session-1"
    response = me.post(f"/events/dst-forum/agenda/sessions/{a.id}/star", data={"next": back})
    assert response.headers["Location"] == back
    for session in (b, c, b):  # starring twice is once
        me.post(f"/events/dst-forum/agenda/sessions/{session.id}/star")
    assert agenda.starred_ids(person, event) == {a.id, b.id, c.id}
    page = me.get("/events/dst-forum/agenda").data.decode()
    assert "In my agenda: remove" in item(page, a.id) and "Add to my agenda" not in page

    page = me.get("/me/agenda").data.decode()
    assert "Some sessions you starred overlap" in page
    assert page.count("Overlaps with:") == 2
    assert "Overlaps with:</strong> Data" in page and "Overlaps with:</strong> Courts" in page
    # One timeline: the event registered for, then the sessions, in both timezones.
    assert page.index(event.title) < page.index("Courts") < page.index("Data") < page.index("Lunch")
    saturday = f"Sat {SATURDAY.day} Mar {YEAR}"
    assert f"{saturday}, 09:00 CET" in page and f"{saturday}, 17:00 JST" in page

    response = me.post(
        f"/events/dst-forum/agenda/sessions/{b.id}/unstar", data={"next": "/me/agenda"}
    )
    assert response.headers["Location"] == "/me/agenda"
    page = me.get("/me/agenda").data.decode()
    assert "The session is no longer in your agenda." in page
    assert "overlap" not in page and "Data" not in page
    # A foreign `next` is not followed.
    response = me.post(
        f"/events/dst-forum/agenda/sessions/{b.id}/star", data={"next": "https://evil.test/"}
    )
    assert response.headers["Location"] == f"/events/dst-forum/agenda#session-{b.id}"


def test_my_agenda_needs_an_account(client):
    response = client.get("/me/agenda")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_stars_reach_sessions_only_through_their_event(app, event, organiser):
    other = make_event(organisers=[organiser], slug="other-forum")
    session = add(other)
    me = as_person(app, make_user())
    assert me.post(f"/events/dst-forum/agenda/sessions/{session.id}/star").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Star)) == 0


def test_every_agenda_form_carries_a_csrf_token(make_app, event, organiser):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()

    def token(page: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    sign_in = token(client.get("/sign-in").data.decode())
    client.post(
        "/sign-in",
        data={"email": organiser.email, "password": PASSWORD, "csrf_token": sign_in},
    )
    session = add(event)
    star = f"/events/dst-forum/agenda/sessions/{session.id}/star"
    assert client.post(star).status_code == 400
    page = client.get("/events/dst-forum/agenda").data.decode()
    assert client.post(star, data={"csrf_token": token(item(page, session.id))}).status_code == 302
    for url in ("/agenda/sessions/new", "/agenda/import", f"/agenda/sessions/{session.id}/edit"):
        page = client.get(f"/events/dst-forum{url}").data.decode()
        assert client.post(f"/events/dst-forum{url}", data={}).status_code == 400
        assert token(page)
    manage = client.get("/events/dst-forum/agenda/manage").data.decode()
    cancel = manage[manage.index(f"/agenda/sessions/{session.id}/cancel") :][:300]
    assert token(cancel)
