"""Agenda rules called directly: times across DST, warnings, stars, CSV import."""

from datetime import datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from convene.extensions import db
from convene.models import AgendaSession, Registration
from convene.services import InvalidInput, NotFound, PermissionDenied, agenda
from convene.services.agenda import SessionInput, SpeakerInput
from convene.services.agenda_import import ImportRefused, import_sessions

from .dates import MONDAY, SATURDAY, SUNDAY, YEAR, day, utc, wall
from .factories import make_event, make_user


@pytest.fixture
def organiser(app):
    return make_user(name="Olga Organiser")


@pytest.fixture
def event(organiser):
    # Three days around the night Paris moves its clocks forward (tests/dates.py).
    e = make_event(organisers=[organiser], timezone="Europe/Paris")
    e.starts_at = utc(SATURDAY, 6)
    e.ends_at = utc(MONDAY, 18)
    db.session.commit()
    return e


def session_input(**changes):
    values = dict(
        title="Opening plenary",
        kind="plenary",
        starts_at=wall(SATURDAY, 9),
        ends_at=wall(SATURDAY, 10, 30),
        room="Main hall",
        languages=["en"],
    )
    values.update(changes)
    return SessionInput(**values)


def test_wall_times_across_the_dst_change(organiser, event):
    before = agenda.create_session(organiser, event, session_input())
    after = agenda.create_session(
        organiser,
        event,
        session_input(
            title="Day two",
            starts_at=wall(SUNDAY, 9),
            ends_at=wall(SUNDAY, 10),
        ),
    )
    assert before.starts_at.isoformat() == f"{SATURDAY}T08:00:00+00:00"  # UTC+1
    assert after.starts_at.isoformat() == f"{SUNDAY}T07:00:00+00:00"  # UTC+2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": wall(SATURDAY, 8)}, "ends_at"),
        (
            {"starts_at": wall(SUNDAY, 2, 30), "ends_at": wall(SUNDAY, 4)},
            "starts_at",
        ),
        ({"starts_at": datetime(1800, 1, 1, 9)}, "starts_at"),
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"languages": ["zz"]}, "languages"),
        ({"speakers": [SpeakerInput(name="")]}, "speakers.0.name"),
        ({"speakers": [SpeakerInput(name="A", sector="aliens")]}, "speakers.0.sector"),
    ],
)
def test_bad_sessions_are_refused_per_field(organiser, event, changes, field):
    with pytest.raises(InvalidInput) as error:
        agenda.create_session(organiser, event, session_input(**changes))
    assert field in error.value.fields


def test_only_organisers_change_the_agenda(event):
    with pytest.raises(PermissionDenied):
        agenda.create_session(make_user(), event, session_input())


def test_warnings_never_block(organiser, event):
    man = dict(gender="man", sector="government")
    a = agenda.create_session(
        organiser,
        event,
        session_input(
            title="Panel A",
            kind="panel",
            speakers=[
                SpeakerInput(name="Ana Pérez", gender="woman", sector="government"),
                SpeakerInput(name="Ben Ode", **man),
            ],
        ),
    )
    b = agenda.create_session(
        organiser,
        event,
        session_input(
            title="Panel B",
            kind="panel",
            starts_at=wall(SATURDAY, 10),
            ends_at=wall(SATURDAY, 11),
            speakers=[
                SpeakerInput(name="  ana   PÉREZ "),
                SpeakerInput(name="Carl", **man),
                SpeakerInput(name="Dan", gender="Hombre", sector="government"),
            ],
        ),
    )
    c = agenda.create_session(
        organiser,
        event,
        session_input(
            title="Late night",
            starts_at=wall(day(3), 22),
            ends_at=wall(day(3), 23),
            room="Annex",
        ),
    )
    codes = {(w.code, tuple(w.session_ids)) for w in agenda.agenda_warnings(event)}
    assert ("speaker_clash", (a.id, b.id)) in codes
    assert ("room_clash", (a.id, b.id)) in codes
    assert ("outside_event", (c.id,)) in codes
    assert ("single_sector_panel", (a.id,)) in codes
    assert ("all_male_panel", (b.id,)) not in codes  # one speaker gave no gender
    b.speakers[0].gender = "male"
    codes = {w.code for w in agenda.agenda_warnings(event)}
    assert "all_male_panel" in codes
    agenda.cancel_session(organiser, a)
    assert not {w.code for w in agenda.agenda_warnings(event)} & {"speaker_clash", "room_clash"}


def test_a_session_is_loaded_through_its_event(organiser, event):
    session = agenda.create_session(organiser, event, session_input())
    other = make_event(organisers=[organiser])
    with pytest.raises(NotFound):
        agenda.get_session(other, session.id)


def test_edits_raise_the_sequence_only_when_something_shows(organiser, event):
    session = agenda.create_session(organiser, event, session_input())
    agenda.update_session(organiser, session, session_input())
    assert session.sequence == 0
    agenda.update_session(organiser, session, session_input(room="Room 2"))
    assert session.sequence == 1


def test_deleting_a_published_session_cancels_it(organiser, event):
    session = agenda.create_session(organiser, event, session_input())
    agenda.delete_session(organiser, session)
    assert session.cancelled_at is not None and session.sequence == 1
    draft = make_event(organisers=[organiser], status="draft")
    gone = agenda.create_session(organiser, draft, session_input())
    agenda.delete_session(organiser, gone)
    db.session.flush()
    assert db.session.get(AgendaSession, gone.id) is None


def test_personal_agenda_with_overlaps(organiser, event):
    person = make_user()
    a = agenda.create_session(organiser, event, session_input(title="A"))
    b = agenda.create_session(
        organiser,
        event,
        session_input(title="B", starts_at=wall(SATURDAY, 10), ends_at=wall(SATURDAY, 12)),
    )
    agenda.create_session(organiser, event, session_input(title="C"))
    db.session.add(Registration(event=event, user=person, status="confirmed", sector="media"))
    for session in (a, b):
        agenda.star(person, session)
    agenda.star(person, a)  # twice is once
    db.session.commit()
    items = agenda.personal_agenda(person)
    assert [i.title for i in items] == [event.title, "A", "B"]
    assert items[1].overlaps == ["B"] and items[2].overlaps == ["A"]
    agenda.unstar(person, b)
    assert agenda.starred_ids(person, event) == {a.id}


def test_reading_the_agenda_takes_the_same_queries_for_5_and_500(organiser, event):
    def count_queries(n):
        db.session.execute(AgendaSession.__table__.delete())
        for i in range(n):
            db.session.add(
                AgendaSession(
                    event=event,
                    title=f"S{i}",
                    kind="workshop",
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    speakers=[agenda.Speaker(name=f"P{i}")],
                )
            )
        db.session.commit()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            sessions = agenda.sessions_of(event)
            agenda.agenda_warnings(event, sessions)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        assert len(sessions) == n
        return len(statements)

    assert count_queries(5) == count_queries(500)


CSV = (
    "title,kind,date,start,end,room,languages,interpretation,speakers,theme\n"
    f"Opening,plenary,{SATURDAY},09:00,10:00,Main hall,en;fr,yes,"
    "Ana Pérez | Ministry | government | woman,open-justice\n"
    f"Courts online,workshop,{SUNDAY},09:00,10:30,Room 2,es,no,Élodie Brun | Tribunal;Ben Ode,\n"
)


def test_csv_import_in_utf8_with_bom_and_in_latin1(organiser, event):
    sessions = import_sessions(organiser, event, ("\ufeff" + CSV).encode("utf-8"))
    assert [s.title for s in sessions] == ["Opening", "Courts online"]
    assert sessions[0].speakers[0].name == "Ana Pérez"
    assert sessions[0].interpretation and sessions[0].languages == ["en", "fr"]
    assert sessions[1].starts_at.isoformat() == f"{SUNDAY}T07:00:00+00:00"
    # A French spreadsheet: semicolons between columns, Windows-1252 accents.
    semicolons = (
        "title;kind;date;start;end;speakers\n"
        f'Débat;panel;{SUNDAY};14:00;15:00;"Élodie Brun | Tribunal;Ben Ode"\n'
    )
    latin = import_sessions(organiser, event, semicolons.encode("cp1252"))
    assert [s.name for s in latin[0].speakers] == ["Élodie Brun", "Ben Ode"]
    assert latin[0].title == "Débat"


def test_a_csv_with_one_bad_row_imports_nothing(organiser, event):
    bad = CSV + f"Broken,party,{MONDAY},25:00,10:00,,,maybe,,nowhere\n"
    with pytest.raises(ImportRefused) as error:
        import_sessions(organiser, event, bad.encode())
    columns = {(row, column) for row, column, _message in error.value.rows}
    assert {(4, "start"), (4, "interpretation"), (4, "theme")} <= columns
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AgendaSession)) == 0
    with pytest.raises(ImportRefused) as error:
        import_sessions(organiser, event, b"name,when\nx,y\n")
    assert (1, "title", "This column is missing.") in error.value.rows
    with pytest.raises(ImportRefused):
        import_sessions(organiser, event, b"x" * (3 * 1024 * 1024))
    with pytest.raises(ImportRefused) as error:
        import_sessions(organiser, event, CSV.replace("09:00,10:00", "10:00,09:00").encode())
    assert (2, "end") in {(r, c) for r, c, _m in error.value.rows}


def test_every_problem_of_every_row_is_reported_at_once(organiser, event):
    header = "title,kind,date,start,end,online_url,languages,interpretation,capacity,theme\n"
    rows = (
        # Problems found reading the cells (date, interpretation, capacity, theme) and
        # problems found checking the session (title, kind, online_url, languages).
        f",party,{YEAR}-02-30,09:00,10:00,ftp://x,xx,maybe,lots,nowhere\n"
        f"Late,plenary,{SATURDAY},09:00,24:61,,,,,\n"
        f"Written the French way,plenary,{SATURDAY:%d/%m/%Y},9h,10:00,,,,,\n"
        f"Backwards,plenary,{SATURDAY},11:00,10:00,,,,0,\n"
    )
    with pytest.raises(ImportRefused) as error:
        import_sessions(organiser, event, (header + rows).encode())
    found = {(row, column): message for row, column, message in error.value.rows}
    assert set(found) == {
        (2, "title"),
        (2, "kind"),
        (2, "date"),
        (2, "online_url"),
        (2, "languages"),
        (2, "interpretation"),
        (2, "capacity"),
        (2, "theme"),
        (3, "end"),
        (4, "date"),
        (4, "start"),
        (5, "end"),
        (5, "capacity"),
    }
    assert found[2, "date"] == (
        f"The date {YEAR}-02-30 does not exist: check the day and the month."
    )
    assert found[3, "end"].startswith("The time 24:61 does not exist")
    assert found[4, "date"] == "Give the date as YYYY-MM-DD."
    assert found[4, "start"] == "Give the time as HH:MM (24 hours)."
    assert len(error.value.rows) == len(found)  # one message each, none repeated
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AgendaSession)) == 0


def test_a_runaway_quote_is_refused_with_its_row(organiser, event):
    text = CSV + f'Unclosed,plenary,{MONDAY},09:00,10:00,"Main hall' + "x" * 140_000 + "\n"
    with pytest.raises(ImportRefused) as error:
        import_sessions(organiser, event, text.encode())
    assert [(row, column) for row, column, _m in error.value.rows] == [(4, "file")]
