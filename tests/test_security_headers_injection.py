"""Security headers on every kind of answer; user text shown escaped wherever it goes
(pages, e-mails, CSV, calendars); no SQL built from strings; bounded bodies and imports."""

import ast
import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from convene import ROOT
from convene.extensions import db
from convene.models import AgendaSession, Event, OutboxMessage, ProgressUpdate, Theme, utcnow
from convene.services import agenda, followup
from convene.services import registration as reg
from convene.services.agenda import SessionInput, SpeakerInput
from convene.services.followup import CommitmentInput, UpdateInput
from convene.services.outbox import _Letter, _Transport

from .conftest import outbox_to
from .factories import (
    PASSWORD,
    make_event,
    make_focal_point,
    make_member,
    make_user,
    registration_input,
)

# Headers ------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    return directives


def assert_security_headers(response) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy")
    assert csp, f"no CSP on {response.status_code} {response.mimetype}"
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, csp
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, csp
    assert "*" not in scripts and "data:" not in scripts, csp
    assert directives.get("object-src") == ["'none'"], csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )
    framing = headers.get("X-Frame-Options", "").upper() == "DENY" or directives.get(
        "frame-ancestors"
    ) == ["'none'"]
    assert framing, headers


@pytest.fixture
def event(app):
    organiser = make_user()
    made = make_event(organisers=[organiser], slug="forum")
    start = made.starts_at.replace(tzinfo=None)
    agenda.create_session(
        organiser,
        made,
        SessionInput(
            title="Opening",
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=2),
        ),
    )
    db.session.commit()
    return made


ANSWERS = {
    "a page": ("GET", "/", None),
    "a page with a form": ("GET", "/sign-in", None),
    "an event's page": ("GET", "/events/forum", None),
    "a redirect to sign in": ("GET", "/me/profile", None),
    "a page not found": ("GET", "/no-such-page", None),
    "a refusal": ("GET", "/admin/", "signed in"),
    "a method not allowed": ("DELETE", "/events/", None),
    "a form sent back": ("POST", "/sign-in", None),
    "a CSV export": ("GET", "/follow-up/commitments.csv", None),
    "the API": ("GET", "/api/v1/events", None),
    "the API's document": ("GET", "/api/v1/openapi.json", None),
    "an API error": ("GET", "/api/v1/me", None),
    "an API not found": ("GET", "/api/v1/events/999999", None),
    "an API invalid body": ("POST", "/api/v1/tokens", None),
    "a calendar feed": ("GET", "/calendar.ics", None),
    "an event's feed": ("GET", "/events/forum.ics", None),
    "a health check": ("GET", "/healthz", None),
}


@pytest.mark.parametrize("name", ANSWERS)
def test_every_kind_of_answer_carries_the_security_headers(client, event, name):
    method, path, who = ANSWERS[name]
    if who:
        person = make_user()
        client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    kwargs = {"json": {}} if path.startswith("/api/") and method == "POST" else {}
    response = client.open(path, method=method, **kwargs)
    assert_security_headers(response)


def test_a_server_error_carries_the_security_headers(make_app):
    broken = make_app(PROPAGATE_EXCEPTIONS=False)

    @broken.route("/broken")
    def fails():
        raise RuntimeError("a bug")

    response = broken.test_client().get("/broken")
    assert response.status_code == 500
    assert_security_headers(response)


def test_a_refused_csrf_token_carries_the_security_headers(make_app):
    response = make_app(WTF_CSRF_ENABLED=True).test_client().post("/sign-out")
    assert response.status_code == 400
    assert_security_headers(response)


def test_https_answers_carry_strict_transport_security(client, app):
    response = client.get("/", base_url="https://convene.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers  # not over plain http


def test_static_files_carry_the_security_headers(client, app):
    css = next(Path(app.static_folder).rglob("*.css"))
    response = client.get("/static/" + css.relative_to(app.static_folder).as_posix())
    assert response.status_code == 200
    assert_security_headers(response)


# Injection: user text in pages -------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LINK = "[x](javascript:alert(1))"
PAYLOAD = f"{SCRIPT}{IMG}{LINK}"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Tags(HTMLParser):
    """Every start tag and its attributes, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def assert_nothing_runs(html: str, where: str) -> None:
    """No script of the page's own making beyond files, no event handler, no javascript:
    link: what a user typed stays text."""
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag != "script" or attrs.get("src"), f"{where}: an inline <script>"
        assert tag not in ("iframe", "object", "embed", "base"), f"{where}: <{tag}>"
        assert not (tag == "img" and attrs.get("src") == "x"), f"{where}: the injected <img>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}=…>"
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (
                    f"{where}: {name}={value}"
                )
    assert SCRIPT not in html and "<img src=x" not in html, where


@pytest.fixture
def injected(app):
    """Every free text a person types, set to the payload."""

    class World:
        pass

    w = World()
    w.member = make_member(name=f"Member {PAYLOAD}", slug="member-x")
    w.organiser = make_focal_point(w.member, make_user(name=f"Org {PAYLOAD}")).user
    w.participant = make_user(name=f"Pat {PAYLOAD}")
    w.event = make_event(
        title=f"Forum {PAYLOAD}",
        description=f"About {PAYLOAD}",
        organisers=[w.organiser],
        slug="forum-x",
        show_participants=True,
    )
    w.event.hosts = [w.member]
    db.session.commit()
    start = w.event.starts_at.replace(tzinfo=None)
    w.session = agenda.create_session(
        w.organiser,
        w.event,
        SessionInput(
            title=f"Panel {PAYLOAD}",
            description=f"Panel about {PAYLOAD}",
            kind="panel",
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=2),
            room=f"Room {PAYLOAD}",
            track=f"Track {PAYLOAD}",
            speakers=[SpeakerInput(name=f"Speaker {PAYLOAD}", affiliation=f"Aff {PAYLOAD}")],
        ),
    )
    w.registration, _new = reg.register(
        w.event,
        registration_input(
            name=w.participant.name,
            email=w.participant.email,
            organisation=f"Org {PAYLOAD}",
            accessibility_needs=f"Needs {PAYLOAD}",
            show_in_public_list=True,
        ),
        actor=w.participant,
    )
    w.commitment = followup.create_commitment(
        w.organiser,
        w.event,
        CommitmentInput(
            member_id=w.member.id,
            title=f"Commit {PAYLOAD}",
            description=f"Describe {PAYLOAD}",
            due_date=w.event.starts_at.date() + timedelta(days=60),
            milestones=[(f"Milestone {PAYLOAD}", w.event.starts_at.date() + timedelta(days=30))],
        ),
    )
    db.session.flush()
    followup.post_update(
        w.organiser,
        w.commitment,
        UpdateInput(status="limited", narrative=f"Narrative {PAYLOAD}"),
    )
    db.session.commit()
    return w


PAGES = {
    # where: (who looks, path)
    "home": (None, "/"),
    "events": (None, "/events/"),
    "event": (None, "/events/{w.event.slug}"),
    "agenda": ("participant", "/events/{w.event.slug}/agenda"),
    "attendees": (None, "/events/{w.event.slug}/attendees"),
    "follow-up": (None, "/events/{w.event.slug}/follow-up"),
    "commitment": ("organiser", "/commitments/{w.commitment.id}"),
    "member dashboard": (None, "/members/{w.member.slug}/follow-up"),
    "overall dashboard": (None, "/follow-up/"),
    "participants": ("organiser", "/events/{w.event.slug}/participants"),
    "manage": ("organiser", "/events/{w.event.slug}/manage"),
    "agenda editor": ("organiser", "/events/{w.event.slug}/agenda/manage"),
    "session form": ("organiser", "/events/{w.event.slug}/agenda/sessions/{w.session.id}/edit"),
    "details form": ("organiser", "/events/{w.event.slug}/manage/details"),
    "my registrations": ("participant", "/me/registrations"),
    "my registration": ("participant", "/me/registrations/{w.registration.id}"),
    "my agenda": ("participant", "/me/agenda"),
    "my commitments": ("organiser", "/me/commitments"),
    "profile": ("participant", "/me/profile"),
}


@pytest.mark.parametrize("where", PAGES)
def test_typed_text_is_shown_escaped_on_pages(app, injected, where):
    who, path = PAGES[where]
    client = app.test_client()
    if who:
        person = getattr(injected, who)
        client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    response = client.get(path.format(w=injected))
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert ESCAPED_SCRIPT in html, f"{where}: the text is not on the page at all"
    assert_nothing_runs(html, where)


def test_typed_text_is_shown_escaped_in_the_admin_pages(app, injected, admin):
    client = app.test_client()
    client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    for path in (
        "/admin/members/",
        f"/admin/members/{injected.member.id}",
        "/admin/people/",
        f"/admin/people/{injected.participant.id}",
        "/admin/outbox/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert ESCAPED_SCRIPT in html, path
        assert_nothing_runs(html, path)


def test_typed_text_comes_back_as_text_in_the_api(client, injected):
    body = client.get(f"/api/v1/events/{injected.event.id}")
    assert body.mimetype == "application/json"
    assert body.get_json()["title"] == f"Forum {PAYLOAD}"  # data, for the client to escape


# Injection: e-mails -------------------------------------------------------------------


def test_e_mails_are_plain_text_only(app, injected):
    """Messages are rendered from .txt templates and sent as text/plain: no HTML is ever
    built from what people type, so nothing in it can run in a mail reader."""
    assert not list((ROOT / "templates" / "emails").glob("*.htm*"))
    assert not [c for c in OutboxMessage.__table__.columns if "html" in c.name]
    messages = db.session.scalars(select(OutboxMessage)).all()
    with_payload = [m for m in messages if SCRIPT in m.body_text]
    assert with_payload, [m.kind for m in messages]
    transport = _Transport(app.config)
    for message in messages:
        email = transport.compose(_Letter.of(message))
        types = {part.get_content_type() for part in email.walk() if not part.is_multipart()}
        assert "text/html" not in types, message.kind
        assert email.get_body(("plain",)) is not None
        # Plain text shows what was typed as typed, not &lt;-escaped.
        assert "&lt;" not in message.body_text


def test_a_line_break_in_a_subject_cannot_add_a_header(app):
    """Titles go into subjects; one with a line break (the API takes any JSON string)
    must not become a header of its own: the message is refused whole instead."""
    message = OutboxMessage(
        id=1,
        to_address="someone@example.org",
        kind="proposal_status",
        subject="“Forum\r\nBcc: everyone@evil.example” is now submitted",
        body_text="Hello",
        created_at=utcnow(),
    )
    try:
        email = _Transport(app.config).compose(_Letter.of(message))
    except ValueError:
        return
    assert email.get_all("Bcc") is None
    assert "\n" not in str(email["Subject"])


# A title with a line break (accepted by the API before titles were one line) must not
# break an event's calendars: X-WR-CALNAME and every text value stay on their own line.


# Injection: CSV -----------------------------------------------------------------------

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def _no_formula(cells: list[str]) -> None:
    running = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not running, running


def test_participant_csv_neutralises_formulas(app, injected):
    for n, formula in enumerate(FORMULAS):
        person = make_user(name=f"{formula} person", email=f"formula{n}@example.org")
        reg.register(
            injected.event,
            registration_input(
                name=person.name,
                email=person.email,
                organisation=formula,
                accessibility_needs=formula,
            ),
            actor=person,
        )
    db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": injected.organiser.email, "password": PASSWORD})
    response = client.get(f"/events/{injected.event.slug}/participants.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    cells = _cells(response.get_data(as_text=True))
    assert "'=1+2 person" in cells and "'@SUM(A1)" in cells
    _no_formula(cells)


@pytest.mark.parametrize(
    "path",
    [
        "/events/{w.event.slug}/follow-up.csv",
        "/members/{w.member.slug}/follow-up.csv",
        "/follow-up/commitments.csv",
        "/me/commitments.csv",
    ],
)
def test_follow_up_csv_neutralises_formulas(app, injected, path):
    member = injected.member
    for formula in FORMULAS:
        made = followup.create_commitment(
            injected.organiser,
            injected.event,
            CommitmentInput(
                member_id=member.id,
                title=f"{formula} commitment",
                due_date=injected.event.starts_at.date() + timedelta(days=60),
            ),
        )
        db.session.flush()
        followup.post_update(
            injected.organiser, made, UpdateInput(status="limited", narrative=formula)
        )
    member.name = '=HYPERLINK("https://evil.example")'
    db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": injected.organiser.email, "password": PASSWORD})
    response = client.get(path.format(w=injected))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    cells = _cells(response.get_data(as_text=True))
    assert "'=1+2 commitment" in cells
    _no_formula(cells)


# Injection: calendars -----------------------------------------------------------------

EVIL = "Forum\r\nATTENDEE:mailto:evil@example.org\r\nX-EVIL:1"


def _unfolded_lines(body: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", body).split("\r\n")


@pytest.fixture
def evil_event(app, injected):
    """Titles with line breaks, stored as they are, bypassing the forms' checks."""
    injected.event.title = EVIL
    injected.event.description = EVIL
    injected.event.venue = EVIL
    session = db.session.get(AgendaSession, injected.session.id)
    session.title = EVIL
    session.room = EVIL
    injected.commitment.title = EVIL
    injected.event.themes = [db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))]
    db.session.commit()
    return injected


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in (
            "/events/{w.event.slug}.ics",
            "/events/{w.event.slug}/sessions/{w.session.id}.ics",
            "/events/{w.event.slug}/follow-up.ics",
        )
    ]
    + ["/calendar.ics", "/themes/open-justice.ics"],
)
def test_calendar_feeds_escape_line_breaks(client, evil_event, path):
    response = client.get(path.format(w=evil_event))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    lines = _unfolded_lines(body)
    assert not [line for line in lines if line.upper().startswith(("ATTENDEE", "X-EVIL"))]
    calendar = Calendar.from_ical(body)
    summaries = [str(c["SUMMARY"]) for c in calendar.walk() if "SUMMARY" in c]
    assert any("ATTENDEE:mailto:evil@example.org" in s for s in summaries), summaries
    assert not [c for c in calendar.walk() if "ATTENDEE" in c]


def test_cancelling_an_event_with_a_line_break_in_its_title_tells_everyone(app, evil_event):
    from convene.services import events

    events.cancel_event(evil_event.organiser, evil_event.event, "Sorry.")
    db.session.commit()
    told = outbox_to(evil_event.participant.email)[-1]
    assert told.attachment_body
    lines = _unfolded_lines(told.attachment_body)
    assert not [line for line in lines if line.upper().startswith(("ATTENDEE", "X-EVIL"))]


def test_the_personal_feed_escapes_line_breaks(app, evil_event):
    from convene.services import calendars as feeds

    person = evil_event.participant
    agenda.star(person, db.session.get(AgendaSession, evil_event.session.id))
    token = feeds.regenerate_feed_token(person)
    db.session.commit()
    body = app.test_client().get(f"/me/calendar/{token}.ics").get_data(as_text=True)
    assert not [line for line in _unfolded_lines(body) if line.upper().startswith("ATTENDEE")]
    assert "ATTENDEE:mailto" in body  # as escaped text


# No SQL built from strings ------------------------------------------------------------

# (file, line text) of string SQL that is known to be safe: constants only.
KNOWN_SAFE: set[tuple[str, str]] = set()


def _builds_a_string(node: ast.AST) -> bool:
    """f-strings, % or + on strings, str.format: SQL made from values."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return not (_constant(node.left) and _constant(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format"
    return False


def _constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.IfExp):
        return _constant(node.body) and _constant(node.orelse)
    return False


def _sql_calls(tree: ast.AST):
    """Calls that take SQL as a string: SQLAlchemy's text() and literal_column(), and
    execute(), exec_driver_sql() and executescript() on anything."""
    from_sqlalchemy = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        if isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ("execute", "exec_driver_sql", "executescript", "text", "literal_column"):
                yield name, node
        elif getattr(node.func, "id", "") in {"text", "literal_column"} & from_sqlalchemy:
            yield node.func.id, node


def test_no_sql_is_built_from_strings():
    found = []
    for path in sorted((ROOT / "convene").rglob("*.py")):
        source = path.read_text()
        for name, call in _sql_calls(ast.parse(source)):
            sql = call.args[0]
            unsafe = _builds_a_string(sql) or (
                name in ("text", "exec_driver_sql", "literal_column") and not _constant(sql)
            )
            line = ast.get_source_segment(source, call) or ""
            if unsafe and (path.name, line) not in KNOWN_SAFE:
                found.append(f"{path.relative_to(ROOT)}:{call.lineno}: {line}")
    assert not found


def test_the_sql_check_catches_what_it_is_for():
    bad = """
from sqlalchemy import text
text(f"SELECT * FROM users WHERE email = '{email}'")
db.session.execute("DELETE FROM users WHERE id = %s" % user_id)
connection.exec_driver_sql("SELECT " + column)
db.session.execute(text("SELECT {}".format(name)))
"""
    good = """
from sqlalchemy import text
db.session.execute(text("SELECT 1"))
connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
db.session.execute(select(User).where(User.email == email))
"""

    def unsafe(source):
        return [
            call.lineno
            for name, call in _sql_calls(ast.parse(source))
            if _builds_a_string(call.args[0])
            or (name in ("text", "exec_driver_sql") and not _constant(call.args[0]))
        ]

    assert len(unsafe(bad)) == 4
    assert unsafe(good) == []
    assert unsafe("def text(name, limit): ...\ntext(name, 200)") == []  # not SQLAlchemy's


def test_free_text_search_is_a_bound_parameter(client, event):
    """Search text that looks like SQL is searched for, not run."""
    for q in ("' OR 1=1 --", "%' OR '1'='1", "forum'; DROP TABLE events; --"):
        response = client.get("/events/", query_string={"q": q})
        assert response.status_code == 200
        assert client.get("/api/v1/events", query_string={"q": q}).get_json()["total"] == 0
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1


# Request bodies and imports are bounded -----------------------------------------------


def test_the_body_limit_is_set(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024


def test_a_body_over_the_limit_is_refused(make_app):
    small = make_app(MAX_CONTENT_LENGTH=1024)
    client = small.test_client()
    page = client.post("/sign-up", data={"name": "x" * 4096, "email": "a@example.org"})
    assert page.status_code == 413
    assert "larger than convene accepts" in page.get_data(as_text=True)
    assert _upload(client, "/sign-up", b"x" * 4096).status_code == 413
    api = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": "x" * 4096})
    assert api.status_code == 413
    assert api.mimetype == "application/json"
    assert api.get_json()["error"]["code"] == "too_large"


def _organiser_client(app, event):
    organiser = event.organisers[0].user
    client = app.test_client()
    client.post("/sign-in", data={"email": organiser.email, "password": PASSWORD})
    return client


def _upload(client, path, text: str | bytes):
    """Post a file as a browser would; the body is built here rather than spooled to a
    temporary file by the test client, which would leave it open."""
    content = text.encode() if isinstance(text, str) else text
    boundary = "convene-test-boundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="import.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    return client.post(
        path,
        data=head.encode() + content + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_agenda_import_refuses_too_many_rows(app, event):
    from convene.services.agenda_import import MAX_ROWS

    rows = "title,kind,date,start,end\n" + ",,,,\n" * (MAX_ROWS + 1)
    response = _upload(_organiser_client(app, event), f"/events/{event.slug}/agenda/import", rows)
    assert response.status_code == 422
    assert f"At most {MAX_ROWS} sessions per file" in response.get_data(as_text=True)
    count = db.session.scalar(select(func.count()).select_from(AgendaSession))
    assert count == 1  # the one the fixture made


def test_agenda_import_refuses_too_large_a_file(app, event):
    from convene.services.agenda_import import MAX_BYTES

    content = b"title,kind,date,start,end\n" + b"x" * MAX_BYTES
    response = _upload(
        _organiser_client(app, event), f"/events/{event.slug}/agenda/import", content
    )
    assert response.status_code == 422
    assert "larger than 2 MB" in response.get_data(as_text=True)


def test_follow_up_import_refuses_too_many_rows(app, injected):
    from convene.services.followup import MAX_UPDATE_ROWS

    client = app.test_client()
    client.post("/sign-in", data={"email": injected.organiser.email, "password": PASSWORD})
    row = f"{injected.commitment.id},limited,More\n"
    rows = "commitment_id,status,narrative\n" + row * (MAX_UPDATE_ROWS + 1)
    before = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
    response = _upload(client, "/me/commitments", rows)
    assert response.status_code == 422
    assert f"At most {MAX_UPDATE_ROWS} rows per file" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == before


def test_follow_up_import_refuses_too_large_a_file(app, injected):
    client = app.test_client()
    client.post("/sign-in", data={"email": injected.organiser.email, "password": PASSWORD})
    content = b"commitment_id,status,narrative\n" + b"x" * (2 * 1024 * 1024 + 1)
    response = _upload(client, "/me/commitments", content)
    assert response.status_code == 422
    assert "larger than 2 MB" in response.get_data(as_text=True)
