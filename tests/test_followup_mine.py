"""A focal point's commitments page: the list, the CSV template, bulk progress import."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from convene.extensions import db
from convene.models import OutboxMessage, ProgressUpdate
from convene.services import followup
from convene.services.agenda_import import ImportRefused
from convene.services.followup import CommitmentInput, UpdateInput

from .conftest import link_in
from .factories import make_event, make_focal_point, make_member, make_user


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.organiser = make_user(name="Olga Organiser")
    w.owner = make_member(name="Government of Testland")
    w.other = make_member(name="Elsewhere")
    w.focal_point = make_focal_point(w.owner).user
    w.stranger = make_focal_point(w.other).user
    w.event = make_event(
        organisers=[w.organiser], starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), days=0
    )
    w.event.hosts = [w.owner, w.other]
    db.session.commit()
    return w


def commit_to(world, member=None, title="Publish court decisions", due=date(2027, 12, 31)):
    commitment = followup.create_commitment(
        world.organiser,
        world.event,
        CommitmentInput(member_id=(member or world.owner).id, title=title, due_date=due),
    )
    db.session.commit()
    return commitment


def propose(world, title="Open courts"):
    commitment = followup.create_commitment(
        world.focal_point,
        world.event,
        CommitmentInput(member_id=world.owner.id, title=title, due_date=date(2027, 6, 1)),
    )
    db.session.commit()
    return commitment


def upload(client, text: str | bytes):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        "/me/commitments",
        data={"file": (io.BytesIO(content), "updates.csv")},
        content_type="multipart/form-data",
    )


def updates():
    return db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)).all()


# The page ------------------------------------------------------------------------------


def test_lists_only_my_members_commitments_by_due_date(client, auth, world):
    late = commit_to(world, title="Late one", due=date(2026, 2, 1))
    later = commit_to(world, title="Later one")
    pending = propose(world, title="Proposed one")
    commit_to(world, member=world.other, title="Not mine")
    followup.post_update(world.focal_point, later, UpdateInput(status="substantial"))
    db.session.commit()

    auth.sign_in(world.focal_point.email)
    response = client.get("/me/commitments")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("Late one") < page.index("Proposed one") < page.index("Later one")
    assert "Not mine" not in page
    assert "Overdue" in page and "Substantial" in page and "Awaiting approval" in page
    assert f'/commitments/{late.id}#report"' in page
    assert f'/commitments/{pending.id}#report"' not in page
    assert 'href="/me/commitments.csv"' in page and 'enctype="multipart/form-data"' in page
    assert 'href="/me/commitments"' in page  # in the navigation


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("organiser", "You do not speak for any member"),
        ("focal_point", "The members you speak for have no commitments yet."),
    ],
)
def test_empty_states(client, auth, world, who, message):
    auth.sign_in(getattr(world, who).email)
    page = client.get("/me/commitments").get_data(as_text=True)
    assert message in page and 'type="file"' not in page


def count_queries(work) -> int:
    statements = []

    def listener(_connection, _cursor, statement, *_args):
        statements.append(statement)

    db.session.expire_all()  # nothing cached from the previous count
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_list_takes_the_same_queries_for_one_or_many(world):
    commit_to(world)
    person = world.focal_point

    def read():
        for c in followup.commitments_for(person):
            (followup.overdue(c), followup.differs(c), c.member.name, c.event.slug)

    one = count_queries(read)
    for title in ("Second", "Third", "Fourth"):
        followup.post_update(
            world.focal_point, commit_to(world, title=title), UpdateInput(status="limited")
        )
    db.session.commit()
    assert count_queries(read) == one


@pytest.mark.parametrize("path", ["/me/commitments", "/me/commitments.csv"])
def test_anonymous_people_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    response = upload(client, "commitment_id,status\n")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# The template --------------------------------------------------------------------------


def test_the_template_has_a_row_per_approved_commitment(client, auth, world):
    first = commit_to(world, title='=HYPERLINK("http://evil")', due=date(2026, 3, 1))
    second = commit_to(world, title="Open contracts")
    propose(world)
    commit_to(world, member=world.other, title="Not mine")

    auth.sign_in(world.focal_point.email)
    response = client.get("/me/commitments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(response.get_data(as_text=True).lstrip("\ufeff").splitlines()))
    assert rows == [
        ["commitment_id", "title", "status", "narrative", "evidence_links", "reported_on"],
        [str(first.id), '\'=HYPERLINK("http://evil")', "", "", "", ""],
        [str(second.id), "Open contracts", "", "", "", ""],
    ]


def test_the_filled_template_imports(client, auth, world):
    first = commit_to(world, title="First")
    second = commit_to(world, title="Second")
    auth.sign_in(world.focal_point.email)
    template = client.get("/me/commitments.csv").data
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    rows[0].update(status="limited", narrative="Pilot, in two courts", reported_on="2026-03-01")
    rows[1].update(evidence_links="https://a.example https://b.example", status="completed")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    response = upload(client, "\ufeff" + out.getvalue())
    assert response.status_code == 302 and response.headers["Location"] == "/me/commitments"
    saved = {u.commitment_id: u for u in updates()}
    assert saved[first.id].narrative == "Pilot, in two courts"
    assert saved[first.id].reported_on == date(2026, 3, 1)
    assert saved[second.id].evidence_links == ["https://a.example", "https://b.example"]
    assert saved[second.id].author_id == world.focal_point.id
    page = client.get("/me/commitments").get_data(as_text=True)
    assert "2 progress reports imported." in page


def test_untouched_rows_are_skipped(client, auth, world):
    first = commit_to(world, title="First")
    second = commit_to(world, title="Second")
    auth.sign_in(world.focal_point.email)
    response = upload(
        client,
        "commitment_id;title;status;narrative;evidence_links;reported_on\n"
        f"{first.id};First;;;;\n{second.id};Second;limited;;;\n;;;;;\n",
    )
    assert response.status_code == 302
    assert [u.commitment_id for u in updates()] == [second.id]
    assert "1 progress report imported." in client.get("/me/commitments").text


# Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", {(0, "file")}),
        (b"title\n", {(1, "commitment_id"), (1, "status")}),
        (b"commitment_id,status,colour\n", {(1, "colour")}),
        (b"c\x00o\x00m\x00", {(0, "file")}),  # UTF-16 without its byte-order mark
        (b"PK\x03\x04\x14\x00\x06\x00", {(0, "file")}),  # a workbook
        (b"commitment_id,title,status\n{first},First,\n", {(0, "status")}),
        (b"commitment_id,status\n999999,limited\n", {(2, "commitment_id")}),
        (b"commitment_id,status\n\xc2\xb2,limited\n", {(2, "commitment_id")}),
        (b"commitment_id,status\n{theirs},limited\n", {(2, "commitment_id")}),
        (b"commitment_id,status\n{pending},limited\n", {(2, "commitment_id")}),
        (b"commitment_id,status\n{first},almost\n", {(2, "status")}),
        (b"commitment_id,status,reported_on\n{first},limited,1/3/2026\n", {(2, "reported_on")}),
        (b"commitment_id,status,reported_on\n{first},limited,2999-01-01\n", {(2, "reported_on")}),
        (
            b"commitment_id,status,evidence_links\n{first},limited,javascript:alert(1)\n",
            {(2, "evidence_links")},
        ),
        (b"commitment_id,status\n{first},limited,Pilot, two courts\n", {(2, "file")}),
        (
            b'commitment_id,status,narrative\n{first},limited,"' + b"x" * 140_000 + b'"\n',
            {(2, "file")},
        ),
        (b"commitment_id,status\n" + b"{first},limited\n" * 2001, {(2002, "file")}),
    ],
)
def test_refused_files_say_where_and_save_nothing(client, auth, world, content, expected):
    first = commit_to(world, title="First")
    theirs = commit_to(world, member=world.other, title="Theirs")
    pending = propose(world)
    ids = {"first": first.id, "theirs": theirs.id, "pending": pending.id}
    for name, value in ids.items():
        content = content.replace(b"{%s}" % name.encode(), str(value).encode())
    auth.sign_in(world.focal_point.email)
    response = upload(client, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in page
    table = page[page.index("problems-heading") :]
    for row, column in expected:
        assert f"<tr><td>{row or '—'}</td><td>{column}</td>" in table
    assert updates() == []


def test_one_bad_row_keeps_the_good_one_out_too(client, auth, world):
    first = commit_to(world, title="First")
    second = commit_to(world, title="Second")
    auth.sign_in(world.focal_point.email)
    response = upload(
        client,
        "commitment_id,status,narrative\n"
        f"{first.id},limited,Fine\n{second.id},done-ish,<b>typed</b>\n",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<tr><td>3</td><td>status</td><td>Choose a status from the scale.</td></tr>" in page
    assert "<tr><td>2</td>" not in page
    assert updates() == []


def test_no_file_is_a_form_error(client, auth, world):
    commit_to(world)
    auth.sign_in(world.focal_point.email)
    response = client.post("/me/commitments", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_someone_elses_commitment_is_refused_by_the_service(world):
    theirs = commit_to(world, member=world.other, title="Theirs")
    with pytest.raises(ImportRefused) as error:
        followup.import_updates(
            world.focal_point, f"commitment_id,status\n{theirs.id},limited\n".encode()
        )
    [(row, column, message)] = error.value.rows
    assert (row, column) == (2, "commitment_id") and "focal points" in message
    db.session.rollback()
    assert updates() == []


# The reminder --------------------------------------------------------------------------


def test_the_reminder_links_to_the_update_form_and_the_bulk_page(world):
    late = commit_to(world, title="Late one", due=date(2026, 2, 1))
    assert followup.send_reminders(14, now=datetime(2026, 3, 1, 8, tzinfo=UTC)) == 1
    db.session.commit()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert link_in(message) == f"/commitments/{late.id}#report"
    assert "http://convene.test/me/commitments\n" in message.body_text


def test_every_problem_is_listed_in_one_upload(client, auth, world):
    first = commit_to(world, title="First")
    auth.sign_in(world.focal_point.email)
    response = upload(
        client,
        "commitment_id,status,reported_on\n"
        f"{first.id},almost,2026-02-30\n999999,limited,yesterday\n",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for row, column, message in [
        (2, "status", "Choose a status from the scale."),
        (2, "reported_on", "The date 2026-02-30 does not exist: check the day and the month."),
        (3, "commitment_id", "No such commitment."),
        (3, "reported_on", "Give the date as YYYY-MM-DD."),
    ]:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>" in page
    assert updates() == []


def test_a_row_dated_before_the_latest_report_is_imported_with_a_note(client, auth, world):
    first = commit_to(world, title="First")
    second = commit_to(world, title="Second")
    day = world.event.starts_at.date()
    latest, older = day + timedelta(days=60), day + timedelta(days=30)
    followup.post_update(
        world.focal_point, first, UpdateInput(status="substantial", reported_on=latest)
    )
    db.session.commit()
    auth.sign_in(world.focal_point.email)
    response = upload(
        client,
        "commitment_id,status,reported_on\n"
        f"{first.id},limited,{older.isoformat()}\n{second.id},limited,\n",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 progress reports imported." in page
    notes = page[page.index('id="notes-heading"') :]
    note = followup.history_note(updates()[1])
    assert note and f"<tr><td>2</td><td>reported_on</td><td>{note}</td></tr>" in notes
    assert "<tr><td>3</td>" not in notes
    assert len(updates()) == 3
    db.session.refresh(first)
    assert followup.self_reported(first).value == "substantial"
