"""Importing an agenda from a spreadsheet's CSV: every row checked, then all or nothing.

Columns (header row required, any order, comma or semicolon separated): title, kind, date
(YYYY-MM-DD), start, end (HH:MM, in the event's timezone); optional description, room,
online_url, track, theme (a theme slug), languages (codes separated by ";" or ","),
interpretation (yes/no), capacity, speakers ("Name | Affiliation | sector | gender",
several separated by ";"). Read as spreadsheets.read_rows reads every import: UTF-8 (with
or without BOM), UTF-16 and Windows-1252, as spreadsheets save them.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..models import AgendaSession, Event, Theme
from ..policy import Actor
from . import InvalidInput
from .agenda.input import SessionInput, SpeakerInput, clean_session
from .agenda.sessions import set_values, touch
from .spreadsheets import MAX_BYTES as MAX_BYTES  # re-exported: the limit of every import
from .spreadsheets import ImportRefused as ImportRefused  # re-exported for the callers
from .spreadsheets import Row, checked_rows, read_rows
from .validation import parse_date, parse_time, some_of

MAX_ROWS = 2000
REQUIRED = ("title", "kind", "date", "start", "end")
OPTIONAL = (
    "description",
    "room",
    "online_url",
    "track",
    "theme",
    "languages",
    "interpretation",
    "capacity",
    "speakers",
)
# Where a service field's error is shown, by CSV column.
FIELD_COLUMN = {"starts_at": "start", "ends_at": "end", "theme_id": "theme"}
YES = {"yes", "y", "true", "1", "oui", "sí", "si", "x"}
NO = {"", "no", "n", "false", "0", "non"}


def import_sessions(actor: Actor, event: Event, content: bytes) -> list[AgendaSession]:
    """Create a session per row; ImportRefused (nothing saved) if any row is wrong, listing
    every problem of every row: each cell is read and each session checked, whatever else
    is wrong in its row."""
    policy.require_manage_event(actor, event)
    rows = read_rows(
        content,
        REQUIRED + OPTIONAL,
        REQUIRED,
        MAX_ROWS,
        str(_l("At most %(n)d sessions per file.", n=MAX_ROWS)),
    )
    themes = {slug: id_ for slug, id_ in db.session.execute(select(Theme.slug, Theme.id))}
    checked = checked_rows(
        rows, lambda row: any(row.cells.values()), lambda row: _check_row(event, row, themes)
    )
    if not checked:
        raise ImportRefused(
            str(_l("The file has no sessions.")),
            [(2, "file", str(_l("Add one session per row under the header.")))],
        )
    sessions = []
    for values in checked:
        session = AgendaSession(event=event)
        set_values(session, values)
        db.session.add(session)
        sessions.append(session)
    touch(event)
    db.session.flush()
    return sessions


def _check_row(event: Event, row: Row, themes: dict) -> dict | None:
    """The session's checked values, every problem of every cell added to `row.problems`:
    those found reading the cells, then those the session's rules find in the others."""
    data = _row_input(row.cells, themes, row.problems)
    # A cell that could not be read is reported once, not again as a missing value.
    unread = {column for column, _message in row.problems}
    if "date" in unread:
        unread |= {"start", "end"}
    try:
        return clean_session(event, data)
    except InvalidInput as error:
        for name, messages in error.fields.items():
            column = FIELD_COLUMN.get(name, name.split(".")[0])
            if column not in unread:
                row.problems += [(column, message) for message in messages]
        return None


def _cell(problems: list, read, value: str, column: str):
    """`read(value)`, or None with its problem added under `column`."""
    try:
        return read(value, column)
    except InvalidInput as error:
        problems += [(column, message) for message in error.fields[column]]
        return None


def _row_input(row: dict, themes: dict, problems: list[tuple[str, str]]) -> SessionInput:
    """The session a row describes; what cannot be read is left empty and added to
    `problems` as (column, message)."""
    day = _cell(problems, parse_date, row.get("date", ""), "date")
    start = _cell(problems, parse_time, row.get("start", ""), "start")
    end = _cell(problems, parse_time, row.get("end", ""), "end")
    starts = datetime.combine(day, start) if day and start else None
    ends = datetime.combine(day, end) if day and end else None
    capacity = None
    if row.get("capacity"):
        try:
            capacity = int(row["capacity"])
        except ValueError:
            problems.append(("capacity", str(_l("Give a whole number."))))
    interpretation = row.get("interpretation", "").lower()
    if interpretation not in YES | NO:
        problems.append(("interpretation", str(_l("Write yes or no."))))
    theme_id = None
    if row.get("theme"):
        theme_id = themes.get(row["theme"])
        if theme_id is None:
            unknown = some_of([row["theme"]])
            problems.append(("theme", str(_l("Unknown theme: %(slug)s.", slug=unknown))))
    languages = [
        code.strip()
        for code in row.get("languages", "").replace(",", ";").split(";")
        if code.strip()
    ]
    speakers = []
    for chunk in filter(None, (c.strip() for c in row.get("speakers", "").split(";"))):
        parts = [part.strip() for part in chunk.split("|")] + [""] * 4
        speakers.append(
            SpeakerInput(
                name=parts[0],
                affiliation=parts[1] or None,
                sector=parts[2] or None,
                gender=parts[3] or None,
            )
        )
    return SessionInput(
        title=row.get("title", ""),
        description=row.get("description", ""),
        kind=row.get("kind", "").lower().replace(" ", "_"),
        starts_at=starts,
        ends_at=ends,
        room=row.get("room"),
        online_url=row.get("online_url"),
        track=row.get("track"),
        theme_id=theme_id,
        languages=languages,
        interpretation=interpretation in YES,
        capacity=capacity,
        speakers=speakers,
    )
