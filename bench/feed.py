"""Benchmark: an event feed of 10,000 sessions, built cold, served from cache, and 304.

    .venv/bin/python bench/feed.py [--sessions 10000] [--database-url URL]

Not a test: it prints timings (median of several runs) for the README's table.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from convene import ROOT, create_app  # noqa: E402
from convene.cache import cache_of  # noqa: E402
from convene.extensions import db  # noqa: E402
from convene.models import AgendaSession, Event, Speaker  # noqa: E402
from convene.services import calendars  # noqa: E402


def timed(fn, runs=5):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def icalendar_alone(n: int) -> bytes:
    """The same feed built with icalendar only: no database, no Flask (the floor)."""
    import icalendar

    zone = ZoneInfo("Europe/Paris")
    start = datetime(2031, 3, 29, 7, tzinfo=UTC)
    calendar = icalendar.Calendar()
    for name, value in (
        ("prodid", "-//bench//"),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", "Benchmark event"),
    ):
        calendar.add(name, value)
    now = datetime.now(UTC).replace(microsecond=0)
    for i in range(n):
        vevent = icalendar.Event()
        vevent.add("uid", f"session-{i}@bench")
        vevent.add("dtstamp", now)
        vevent.add("dtstart", (start + timedelta(minutes=i % 3000)).astimezone(zone))
        vevent.add("dtend", (start + timedelta(minutes=i % 3000 + 45)).astimezone(zone))
        vevent.add("summary", f"Session {i} · Benchmark event")
        vevent.add("description", "A session " * 20 + f"\nSpeakers: Speaker {i} (Ministry)")
        vevent.add("location", f"Room {i % 12}, Paris, France")
        vevent.add("url", f"http://127.0.0.1:5000/events/bench/agenda#session-{i}")
        organizer = icalendar.vCalAddress("mailto:no-reply@localhost")
        organizer.params["cn"] = icalendar.vText("Hosts")
        vevent.add("organizer", organizer)
        vevent.add("last-modified", now)
        vevent.add("sequence", 0)
        vevent.add("status", "CONFIRMED")
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False},
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        start = datetime(2031, 3, 29, 7, tzinfo=UTC)
        event = Event(
            slug="bench",
            title="Benchmark event",
            status="published",
            format="in_person",
            starts_at=start,
            ends_at=start + timedelta(days=3),
            timezone="Europe/Paris",
            city="Paris",
            country="FR",
        )
        db.session.add(event)
        db.session.flush()
        now = datetime.now(UTC)
        db.session.execute(
            insert(AgendaSession),
            [
                dict(
                    event_id=event.id,
                    title=f"Session {i}",
                    description="A session " * 20,
                    kind="workshop",
                    starts_at=start + timedelta(minutes=i % 3000),
                    ends_at=start + timedelta(minutes=i % 3000 + 45),
                    room=f"Room {i % 12}",
                    languages=["en", "fr"],
                    interpretation=False,
                    sequence=0,
                    created_at=now,
                    updated_at=now,
                )
                for i in range(args.sessions)
            ],
        )
        ids = [row for row in db.session.scalars(db.select(AgendaSession.id))]
        db.session.execute(
            insert(Speaker),
            [
                dict(session_id=i, name=f"Speaker {i}", affiliation="Ministry", position=0)
                for i in ids
            ],
        )
        db.session.commit()
        client = app.test_client()
        feed = calendars.EventFeed(event)
        build = timed(feed.build, runs=3)
        cache_of(app).clear()
        first = client.get("/events/bench.ics")
        etag = first.headers["ETag"]
        cached = timed(lambda: client.get("/events/bench.ics"))
        not_modified = timed(
            lambda: client.get("/events/bench.ics", headers={"If-None-Match": etag})
        )
        print(f"sessions: {args.sessions}, feed size: {len(first.data) / 1e6:.1f} MB")
        print(f"cold build:        {build * 1000:8.1f} ms")
        print(f"served from cache: {cached * 1000:8.1f} ms")
        print(f"304 Not Modified:  {not_modified * 1000:8.1f} ms")
    alone = timed(lambda: icalendar_alone(args.sessions), runs=3)
    print(f"icalendar alone:   {alone * 1000:8.1f} ms (cold build / alone: {build / alone:.2f})")


if __name__ == "__main__":
    main()
