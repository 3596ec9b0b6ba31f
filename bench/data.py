"""The benchmark's dataset, generated in a fresh database by bulk inserts:

    .venv/bin/python bench/data.py --database-url URL [--scale 1.0]

About 300 events over the themes (one with 10,000 sessions, one with 1,000, one with 100),
30,000 sessions with a speaker each, 100,000 confirmed registrations, 5,000 commitments with
20,000 progress updates. Prints how long each part took. The rows go in through SQLAlchemy
Core in batches (the services would take hours and measure something else), with the same
invariants the services keep: seat counts match registrations, every event ends after it
starts, every agenda change is inside its event.
"""

import argparse
import secrets
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from convene import ROOT, create_app  # noqa: E402
from convene.extensions import db  # noqa: E402
from convene.models import (  # noqa: E402
    AgendaSession,
    ApiToken,
    Commitment,
    CommitmentStatus,
    Event,
    EventFormat,
    EventStatus,
    Member,
    MemberKind,
    ProgressUpdate,
    Registration,
    RegistrationStatus,
    SessionKind,
    Speaker,
    Theme,
    User,
)
from convene.models.events import event_hosts, event_themes  # noqa: E402
from convene.models.followup import commitment_themes  # noqa: E402
from convene.services.security import hash_secret  # noqa: E402

BATCH = 5_000
START = datetime(2031, 3, 1, 8, tzinfo=UTC)
# Named events the load test asks for by slug.
BIG = {"feed-10000": 10_000, "agenda-1000": 1_000, "agenda-100": 100}


def batches(rows, size=BATCH):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def put(table, rows) -> int:
    count = 0
    for chunk in batches(rows):
        db.session.execute(insert(table), chunk)
        count += len(chunk)
    db.session.commit()
    return count


def generate(scale: float = 1.0) -> dict[str, float]:
    """Fill the (empty, migrated) database of the current app; returns seconds per part."""
    timings: dict[str, float] = {}
    n_events = max(len(BIG) + 1, int(300 * scale))
    n_sessions = int(30_000 * scale)
    n_registrations = int(100_000 * scale)
    n_commitments = int(5_000 * scale)

    started = time.perf_counter()
    themes = db.session.scalars(select(Theme.id)).all()
    put(
        Member.__table__,
        (
            {
                "slug": f"member-{i}",
                "name": f"Member {i}",
                "kind": MemberKind.CIVIL_SOCIETY if i % 2 else MemberKind.NATIONAL_GOVERNMENT,
                "country": "FR",
            }
            for i in range(60)
        ),
    )
    members = db.session.scalars(select(Member.id).order_by(Member.id)).all()
    slugs = list(BIG) + [f"event-{i}" for i in range(n_events - len(BIG))]
    per_event = n_registrations // n_events
    put(
        Event.__table__,
        (
            {
                "slug": slug,
                "title": f"Event {i}: open government in practice",
                "description": "A day of work on shared priorities. " * 5,
                "status": EventStatus.PUBLISHED,
                "format": EventFormat.IN_PERSON,
                "starts_at": START + timedelta(days=i),
                "ends_at": START + timedelta(days=i + 7),
                "timezone": "Europe/Paris",
                "city": "Paris",
                "country": "FR",
                "languages": ["en", "fr"],
                "capacity": per_event + 50,
                "seats_taken": per_event,
                "language": "en",
                "translations": {},
            }
            for i, slug in enumerate(slugs)
        ),
    )
    events = db.session.execute(select(Event.id, Event.slug).order_by(Event.id)).all()
    put(
        event_themes,
        ({"event_id": e, "theme_id": themes[i % len(themes)]} for i, (e, _s) in enumerate(events)),
    )
    put(
        event_hosts,
        (
            {"event_id": e, "member_id": members[i % len(members)]}
            for i, (e, _s) in enumerate(events)
        ),
    )
    timings["events"] = time.perf_counter() - started

    started = time.perf_counter()
    by_slug = {slug: event_id for event_id, slug in events}
    plan = [(by_slug[slug], count) for slug, count in BIG.items()]
    left = max(0, n_sessions - sum(BIG.values()))
    rest = [event_id for event_id, slug in events if slug not in BIG]
    plan += [(event_id, left // len(rest)) for event_id in rest]

    def sessions():
        for event_id, count in plan:
            day = START + timedelta(days=event_id - 1)
            for k in range(count):
                begins = day + timedelta(minutes=(k * 10) % (6 * 24 * 60))
                yield {
                    "event_id": event_id,
                    "title": f"Session {k}",
                    "description": "Panel on implementation. " * 3,
                    "kind": SessionKind.PANEL,
                    "starts_at": begins,
                    "ends_at": begins + timedelta(minutes=45),
                    "room": f"Room {k % 12}",
                    "languages": ["en"],
                    "interpretation": False,
                    "sequence": 0,
                    "language": "en",
                    "translations": {},
                }

    put(AgendaSession.__table__, sessions())
    session_ids = db.session.scalars(select(AgendaSession.id)).all()
    put(
        Speaker.__table__,
        (
            {"session_id": s, "name": f"Speaker {s}", "affiliation": "Ministry", "position": 0}
            for s in session_ids
        ),
    )
    timings["sessions"] = time.perf_counter() - started

    started = time.perf_counter()
    put(
        User.__table__,
        (
            {
                "email": f"person{i}@bench.example.org",
                "name": f"Person {i}",
                "email_confirmed_at": START,
                "session_token": f"{i:032d}",
            }
            for i in range(per_event * 2)
        ),
    )
    people = db.session.scalars(select(User.id).order_by(User.id)).all()
    put(
        Registration.__table__,
        (
            {
                "event_id": event_id,
                "user_id": people[(k + i) % len(people)],
                "status": RegistrationStatus.CONFIRMED,
                "sector": "civil_society",
                "answers": {},
                "manage_nonce": f"{i:016d}{k:016d}",
            }
            for i, (event_id, _slug) in enumerate(events)
            for k in range(per_event)
        ),
    )
    timings["registrations"] = time.perf_counter() - started

    started = time.perf_counter()
    put(
        Commitment.__table__,
        (
            {
                "event_id": events[i % len(events)][0],
                "member_id": members[i % len(members)],
                "title": f"Commitment {i}",
                "description": "Publish the data, every month. " * 3,
                "due_date": date(2032, 1, 1) + timedelta(days=i % 700),
                "approved_at": START,
                "language": "en",
                "translations": {},
            }
            for i in range(n_commitments)
        ),
    )
    commitments = db.session.scalars(select(Commitment.id)).all()
    put(
        commitment_themes,
        ({"commitment_id": c, "theme_id": themes[c % len(themes)]} for c in commitments),
    )
    statuses = list(CommitmentStatus)
    put(
        ProgressUpdate.__table__,
        (
            {
                "commitment_id": c,
                "reported_on": date(2031, 4, 1) + timedelta(days=30 * k),
                "status": statuses[(c + k) % len(statuses)],
                "narrative": "Progress as planned.",
                "evidence_links": [],
            }
            for c in commitments
            for k in range(4)
        ),
    )
    timings["follow-up"] = time.perf_counter() - started
    return timings


RUSH_SLUG = "rush-500"


def rush(people: int = 1_000, capacity: int = 500) -> list[str]:
    """An event opening registration to a crowd: `capacity` seats, a waiting list, and
    `people` accounts that each hold an API token. Returns the tokens (secrets made here, so
    a benchmark database never shares them with another)."""
    put(
        Event.__table__,
        [
            {
                "slug": RUSH_SLUG,
                "title": "Registration opening for a popular event",
                "description": "Everyone wants a seat.",
                "status": EventStatus.PUBLISHED,
                "format": EventFormat.IN_PERSON,
                "starts_at": START + timedelta(days=400),
                "ends_at": START + timedelta(days=401),
                "timezone": "Europe/Paris",
                "city": "Paris",
                "country": "FR",
                "languages": ["en"],
                "capacity": capacity,
                "seats_taken": 0,
                "waitlist_enabled": True,
                "language": "en",
                "translations": {},
            }
        ],
    )
    put(
        User.__table__,
        (
            {
                "email": f"crowd{i}@bench.example.org",
                "name": f"Crowd {i}",
                "email_confirmed_at": START,
                "session_token": secrets.token_hex(16),
            }
            for i in range(people)
        ),
    )
    crowd = db.session.scalars(
        select(User.id).where(User.email.like("crowd%@bench.example.org")).order_by(User.id)
    ).all()
    tokens = [f"cvn_{secrets.token_urlsafe(32)}" for _ in crowd]
    put(
        ApiToken.__table__,
        (
            {
                "user_id": user_id,
                "name": "bench",
                "prefix": token[:10],
                "token_hash": hash_secret(token),
            }
            for user_id, token in zip(crowd, tokens, strict=True)
        ),
    )
    return tokens


def fresh_app(url: str):
    # Development settings (no SECRET_KEY needed), on the database given.
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty database")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    with app.app_context():
        timings = generate(args.scale)
        started = time.perf_counter()
        rush()
        timings["rush"] = time.perf_counter() - started
    for part, seconds in timings.items():
        print(f"{part:<14} {seconds:7.1f} s")
    print(f"{'total':<14} {sum(timings.values()):7.1f} s")


if __name__ == "__main__":
    main()
