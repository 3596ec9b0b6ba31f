"""Importing an agenda from a spreadsheet's CSV: every row checked, then all or nothing.

Columns (header row required, any order, comma or semicolon separated): title, kind, date
(YYYY-MM-DD), start, end (HH:MM, in the event's timezone); optional description, room,
online_url, track, theme (a theme slug), languages (codes separated by ";" or ","),
interpretation (yes/no), capacity, speakers ("Name | Affiliation | sector | gender",
several separated by ";"). UTF-8 (with or without BOM) and Latin-1/Windows-1252, as
spreadsheets save them, are both read.
"""

import csv
import io
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import AgendaSession, Event, Theme
from . import InvalidInput
from .agenda import SessionInput, SpeakerInput, clean_session, set_values, touch
from .permissions import Actor
from .registration import require_organiser

MAX_BYTES = 2 * 1024 * 1024
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


class ImportRefused(InvalidInput):
    """`rows` lists (row number, column, message); nothing was imported."""

    def __init__(self, message: str, rows: list[tuple[int, str, str]]):
        super().__init__(message, {f"row {row}: {column}": [text] for row, column, text in rows})
        self.rows = rows


def decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            str(_l("The file is larger than 2 MB.")),
            [(0, "file", str(_l("Split the agenda into several files of at most 2 MB.")))],
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" in Windows-1252, a superset of Latin-1.
        return content.decode("cp1252", errors="replace")


def _reader(text: str) -> csv.DictReader:
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def import_sessions(actor: Actor, event: Event, content: bytes) -> list[AgendaSession]:
    """Create a session per row; ImportRefused (nothing saved) if any row is wrong."""
    require_organiser(actor, event)
    reader = _reader(decode(content))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = [(1, name, str(_l("This column is missing."))) for name in missing]
        problems += [(1, name, str(_l("Unknown column."))) for name in unknown]
        raise ImportRefused(str(_l("The columns are not the ones expected.")), problems)
    reader.fieldnames = header
    themes = {slug: id_ for slug, id_ in db.session.execute(select(Theme.slug, Theme.id))}
    problems: list[tuple[int, str, str]] = []
    checked: list[dict] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRefused(
                str(_l("Too many rows.")),
                [(number, "file", str(_l("At most %(n)d sessions per file.", n=MAX_ROWS)))],
            )
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        data, row_problems = _row_input(row, themes)
        problems += [(number, column, message) for column, message in row_problems]
        if row_problems:
            continue
        try:
            checked.append(clean_session(event, data))
        except InvalidInput as error:
            for name, messages in error.fields.items():
                column = FIELD_COLUMN.get(name, name.split(".")[0])
                problems += [(number, column, message) for message in messages]
    if problems:
        raise ImportRefused(str(_l("Nothing was imported: correct the rows listed.")), problems)
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


def _row_input(row: dict, themes: dict) -> tuple[SessionInput, list[tuple[str, str]]]:
    problems = []

    def moment(column):
        try:
            return datetime.strptime(
                f"{row.get('date', '')} {row.get(column, '')}", "%Y-%m-%d %H:%M"
            )
        except ValueError:
            problems.append((column, str(_l("Give the date as YYYY-MM-DD and the time as HH:MM."))))
            return None

    starts, ends = moment("start"), moment("end")
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
            problems.append(("theme", str(_l("Unknown theme: %(slug)s.", slug=row["theme"]))))
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
    data = SessionInput(
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
    return data, problems
