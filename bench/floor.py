"""The floors: what the same stack does at best on this machine, served by gunicorn with the
same settings as convene in the same benchmark run.

    gunicorn -c gunicorn.conf.py 'bench.floor:make_app("postgresql+psycopg://…")'

    /constant        a fixed body, no database, no template
    /constant/<n>    a fixed body of n bytes (to compare a cached feed of that size)
    /row/<id>        one primary-key query
    /page            a Jinja page of 50 items

and `icalendar_alone(entries)`, the floor of a cold feed: the same entries built into a
calendar with the `icalendar` package only (no database, no Flask).
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from flask import Flask, Response, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Items</title></head>
<body><main><h1>Items</h1><ul>
{% for item in items %}
<li><a href="/items/{{ item.id }}">{{ item.title }}</a> — {{ item.city }}</li>
{% endfor %}</ul></main></body></html>"""


def make_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db = SQLAlchemy(app)
    bodies: dict[int, bytes] = {}
    items = [{"id": i, "title": f"Event {i}: open government", "city": "Paris"} for i in range(50)]

    @app.get("/constant")
    def constant():
        return "ok"

    @app.get("/constant/<int:size>")
    def constant_of(size: int):
        if size not in bodies:
            bodies[size] = b"x" * size
        return Response(bodies[size], mimetype="text/calendar")

    @app.get("/row/<int:row_id>")
    def row(row_id: int):
        found = db.session.execute(
            text("SELECT id, title FROM events WHERE id = :id"), {"id": row_id}
        ).first()
        return {"id": found[0], "title": found[1]} if found else ({}, 404)

    @app.get("/page")
    def page():
        return render_template_string(PAGE, items=items)

    return app


def icalendar_alone(entries: list[dict], base: str = "http://127.0.0.1") -> bytes:
    """One VEVENT per entry (rows of bench/run.py's `feed_entries`) with the properties
    convene's event feed gives a session, and the time zone they use."""
    zone = ZoneInfo("Europe/Paris")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//floor//")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", entries[0]["event_title"] if entries else "Floor")
    organizer = icalendar.vCalAddress("mailto:no-reply@localhost")
    organizer.params["cn"] = icalendar.vText("Hosts")
    for entry in entries:
        url = f"{base}/events/floor/agenda#session-{entry['id']}"
        modified = _utc(entry["updated_at"])
        vevent = icalendar.Event()
        vevent.add("uid", f"session-{entry['id']}@floor")
        vevent.add("dtstamp", modified)
        vevent.add("dtstart", _utc(entry["starts_at"]).astimezone(zone))
        vevent.add("dtend", _utc(entry["ends_at"]).astimezone(zone))
        vevent.add("summary", f"{entry['title']} · {entry['event_title']}")
        speaker = f"{entry['name']} ({entry['affiliation']})" if entry["name"] else ""
        vevent.add(
            "description",
            f"{entry['description']}\n\nSpeakers: {speaker}\nLanguages: en\n{url}",
        )
        vevent.add("location", f"{entry['room']}, Paris, France")
        vevent.add("url", url)
        vevent.add("organizer", organizer)
        vevent.add("last-modified", modified)
        vevent.add("sequence", entry["sequence"])
        vevent.add("status", "CONFIRMED")
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _utc(value) -> datetime:
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC, microsecond=0) if value.tzinfo is None else value
