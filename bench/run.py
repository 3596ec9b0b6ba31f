"""The performance benchmark, in one command:

    .venv/bin/python bench/run.py [--databases sqlite postgresql] [--seconds 10] [--smoke]

For each database in turn: generate the dataset in a fresh database (bench/data.py), serve
convene and the floor app (bench/floor.py) with gunicorn under the same settings on
127.0.0.1, load each page, feed and API path at 16 connections (bench/load.py), rush an
event of 500 seats with 1,000 API clients 32 at a time, and print the table: rate, p50,
p99, the ratio to the matching floor, the target and whether it was met. `--smoke` runs the
same steps briefly on a small dataset and checks only that nothing failed (for .ci/run).
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404 # starts gunicorn, a fixed program, with our own arguments
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench import data  # noqa: E402
from bench.floor import icalendar_alone  # noqa: E402
from bench.load import Result, in_processes, load  # noqa: E402

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "convene_bench"
REDIS = "redis://127.0.0.1:6379/12"  # 13-15 belong to the tests
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
CAPACITY = 500
EVENT = "event-1"  # an ordinary event of the dataset, there at every scale


# Servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with convene's gunicorn.conf.py, whatever the app; stopped on exit."""

    def __init__(self, app: str, env: dict[str, str], ready_path: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        settings = {
            **os.environ,
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # Workers live through the whole run so their peak memory can be read.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603 # our gunicorn, our app
            [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT,
            env=settings,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tempfile.gettempdir()) / f"bench-{self.port}.log", "w"),  # noqa: SIM115
        )
        self.peak_kb = 0
        self._watching = True
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + ready_path, timeout=2):  # noqa: S310  # nosec B310 # loopback
                    break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} stopped at start") from None
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn {app} did not answer {ready_path}")
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def _watch(self) -> None:
        # A worker's high-water mark of resident memory (VmHWM), read while it lives.
        while self._watching:
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            time.sleep(0.25)

    def stop(self) -> None:
        self._watching = False
        self._watcher.join()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 # loopback only
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310  # nosec B310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# Rows of the table ---------------------------------------------------------------------


@dataclass
class Row:
    name: str
    result: Result
    floor: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    correct: bool = True  # False when the answers were wrong, whatever the speed


def at_least(ratio: float | None, floor: float) -> bool:
    return ratio is not None and ratio >= floor


class Run:
    def __init__(self, database: str, url: str, args):
        self.database, self.url, self.args = database, url, args
        self.rows: list[Row] = []
        self.floors: dict[str, Result] = {}
        self.timings: dict[str, float] = {}
        self.memory: dict[str, float] = {}

    def load(self, url: str, headers=()) -> Result:
        args = self.args
        # Steady state: built once (a dashboard of 5,000 commitments takes seconds cold),
        # then every worker warmed up.
        fetch(url, dict(h.split(": ", 1) for h in headers))
        load(url, args.connections, 1, headers)
        return load(url, args.connections, args.seconds, headers)

    def floor(self, name: str, path: str) -> Result:
        if name not in self.floors:
            self.floors[name] = self.load(self.floor_server.base + path)
        return self.floors[name]

    def measure(
        self,
        name,
        path,
        floor=None,
        floor_path=None,
        minimum=None,
        p99_under=None,
        headers=(),
    ):
        result = self.load(self.convene.base + path, headers)
        row = Row(name, result)
        if floor is not None:
            reference = self.floor(floor, floor_path)
            row.floor = floor
            row.ratio = result.rate / reference.rate if reference.rate else None
        checks = []
        if minimum is not None:
            row.target = f"≥ {minimum:g}× floor"
            checks.append(at_least(row.ratio, minimum))
        if p99_under is not None:
            row.target += f", p99 < {p99_under} ms"
            checks.append(result.p99_ms < p99_under)
        if result.errors:
            row.notes.append(f"{result.errors} errors")
            checks.append(False)
        row.met = all(checks) if checks else None
        self.rows.append(row)
        return row


# Steps ---------------------------------------------------------------------------------


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite'}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


def generate(url: str, scale: float) -> tuple[dict[str, float], list[str]]:
    app = data.fresh_app(url)
    with app.app_context():
        timings = data.generate(scale)
        started = time.perf_counter()
        tokens = data.rush(people=2 * CAPACITY, capacity=CAPACITY)
        timings["rush"] = time.perf_counter() - started
        data.db.engine.dispose()
    return timings, tokens


def feed_entries(url: str, slug: str) -> list[dict]:
    """The sessions of an event's feed, read once, for icalendar alone to build."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT s.id, s.title, s.description, s.starts_at, s.ends_at, s.room,"
                " s.updated_at, s.sequence, sp.name, sp.affiliation, e.title AS event_title"
                " FROM sessions s JOIN events e ON e.id = s.event_id"
                " LEFT JOIN speakers sp ON sp.session_id = s.id"
                " WHERE e.slug = :slug ORDER BY s.starts_at, s.id"
            ),
            {"slug": slug},
        ).mappings()
        entries = [dict(row) for row in rows]
    engine.dispose()
    return entries


def cold_feed(run: Run, slug: str, runs: int) -> None:
    """The feed built from nothing: before each request the event is changed in the
    database (as an agenda edit does: a new version, so no cached bytes fit it) and the
    generation raised (as any commit through convene does)."""
    cache = redis.Redis.from_url(REDIS)
    engine = create_engine(run.url)
    samples, size = [], 0
    for _ in range(runs):
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE events SET sequence = sequence + 1 WHERE slug = :slug"),
                {"slug": slug},
            )
        cache.incr("convene:generation")
        started = time.perf_counter()
        status, _headers, body = fetch(f"{run.convene.base}/events/{slug}.ics")
        samples.append(time.perf_counter() - started)
        size = len(body)
        if status != 200:
            raise RuntimeError(f"/events/{slug}.ics answered {status}")
    engine.dispose()
    entries = feed_entries(run.url, slug)
    alone = []
    for _ in range(runs):
        started = time.perf_counter()
        icalendar_alone(entries, base=run.convene.base)
        alone.append(time.perf_counter() - started)
    cold, floor = statistics.median(samples), statistics.median(alone)
    result = Result(runs, 0, sum(samples), cold * 1000, max(samples) * 1000)
    row = Row(f"feed {slug}: cold build ({size / 1e6:.1f} MB)", result)
    row.floor = "icalendar alone"
    # For a cold build the ratio is of times: convene's build over icalendar's.
    row.ratio = cold / floor
    row.target = "≤ 1.2× icalendar alone"
    row.met = row.ratio <= 1.2
    row.notes.append(f"icalendar alone {floor:.2f} s")
    run.rows.append(row)


def feed_rows(run: Run, slug: str, cold_runs: int) -> None:
    if slug == "feed-10000":
        cold_feed(run, slug, cold_runs)
    status, headers, body = fetch(f"{run.convene.base}/events/{slug}.ics")
    if status != 200:
        raise RuntimeError(f"/events/{slug}.ics answered {status}")
    size = len(body)
    run.measure(
        f"feed {slug}: unchanged ({size / 1e6:.1f} MB)",
        f"/events/{slug}.ics",
        floor=f"constant {size / 1e6:.1f} MB",
        floor_path=f"/constant/{size}",
        minimum=0.5,
    )
    run.measure(
        f"feed {slug}: 304",
        f"/events/{slug}.ics",
        floor="one query",
        floor_path="/row/1",
        minimum=0.8,
        headers=[f"If-None-Match: {headers['ETag']}"],
    )


def _register(base: str, event_id: int, tokens: list[str], queue) -> None:
    connection = http.client.HTTPConnection(base.split("//")[1])
    statuses: dict[int, int] = {}
    latencies = []
    for token in tokens:
        started = time.perf_counter()
        try:
            connection.request(
                "POST",
                f"/api/v1/events/{event_id}/registrations",
                body=json.dumps({"sector": "civil_society"}),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            connection.close()
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
    queue.put((statuses, latencies))


def rush(run: Run, tokens: list[str], clients: int = 32) -> None:
    """Registration opens: every token registers once, `clients` at a time."""
    engine = create_engine(run.url)
    with engine.connect() as connection:
        event_id = connection.scalar(
            text("SELECT id FROM events WHERE slug = :slug"), {"slug": data.RUSH_SLUG}
        )
    shares = [(run.convene.base, event_id, tokens[i::clients]) for i in range(clients)]
    outcomes, elapsed = in_processes(_register, shares)
    statuses: dict[int, int] = {}
    for found, _latencies in outcomes:
        for status, count in found.items():
            statuses[status] = statuses.get(status, 0) + count
    latencies = sorted(x for _found, found in outcomes for x in found)
    with engine.connect() as connection:
        counts = dict(
            connection.execute(
                text(
                    "SELECT status, count(*) FROM registrations WHERE event_id = :id"
                    " GROUP BY status"
                ),
                {"id": event_id},
            ).all()
        )
        seats = connection.scalar(
            text("SELECT seats_taken FROM events WHERE id = :id"), {"id": event_id}
        )
    engine.dispose()
    errors = sum(count for status, count in statuses.items() if status != 201)
    confirmed = counts.get("confirmed", 0)
    result = Result(
        len(latencies),
        errors,
        elapsed,
        statistics.median(latencies),
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    )
    row = Row(f"API registrations, {clients} clients, {CAPACITY} seats", result)
    row.target = "exactly 500 confirmed, no error"
    if run.database == "postgresql":
        row.target = "≥ 300/s, " + row.target
    row.notes.append(f"{confirmed} confirmed, {counts.get('waitlisted', 0)} waiting, seats {seats}")
    if errors:
        row.notes.append(f"answers {statuses}")
    row.correct = confirmed == CAPACITY == seats and not errors
    row.met = row.correct
    if run.database == "postgresql":
        row.met = row.met and result.rate >= 300
    run.rows.append(row)


def pages(run: Run) -> None:
    jinja = {"floor": "Jinja page", "floor_path": "/page", "minimum": 0.5, "p99_under": 50}
    run.measure("events list", "/events/", **jinja)
    run.measure("event page", f"/events/{EVENT}", **jinja)
    run.measure("agenda, 100 sessions", "/events/agenda-100/agenda", **jinja)
    jinja = {"floor": "Jinja page", "floor_path": "/page"}
    run.measure("agenda, 1,000 sessions", "/events/agenda-1000/agenda", **jinja)
    run.measure("follow-up dashboard, all events", "/follow-up/", **jinja)
    run.measure("follow-up dashboard, one event", f"/events/{EVENT}/follow-up", **jinja)
    run.measure("API events list", "/api/v1/events", floor="one query", floor_path="/row/1")


def feeds(run: Run, cold_runs: int) -> None:
    _status, _headers, body = fetch(run.convene.base + "/calendar.ics")
    run.measure(
        f"/calendar.ics ({len(body) / 1e6:.1f} MB)",
        "/calendar.ics",
        floor=f"constant {len(body) / 1e6:.1f} MB",
        floor_path=f"/constant/{len(body)}",
        minimum=0.5,
    )
    for slug in ("agenda-1000", "feed-10000"):
        feed_rows(run, slug, cold_runs)


def bench(kind: str, args, workdir: Path) -> Run:
    url = fresh_database(kind, workdir)
    run = Run(kind, url, args)
    print(f"\n== {kind}: generating the dataset", flush=True)
    run.timings, tokens = generate(url, args.scale)
    redis.Redis.from_url(REDIS).flushdb()
    env = {
        "CONVENE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "BASE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    run.convene = Server("wsgi:app", env, "/healthz")
    run.floor_server = Server(f'bench.floor:make_app("{url}")', env, "/constant")
    try:
        print(f"== {kind}: loading", flush=True)
        if "pages" in args.only:
            pages(run)
        if "feeds" in args.only:
            feeds(run, args.cold_runs)
        if "rush" in args.only:
            rush(run, tokens)
        for name, path in (
            ("constant", "/constant"),
            ("one query", "/row/1"),
            ("Jinja page", "/page"),
        ):
            row = Row(f"floor: {name}", run.floor(name, path))
            run.rows.append(row)
    finally:
        run.convene.stop()
        run.floor_server.stop()
    run.memory = {"convene": run.convene.peak_kb / 1024, "floor": run.floor_server.peak_kb / 1024}
    return run


def report(run: Run) -> bool:
    timings = ", ".join(f"{part} {seconds:.1f} s" for part, seconds in run.timings.items())
    print(f"\n### {run.database}\n\nDataset in {sum(run.timings.values()):.0f} s ({timings}).\n")
    print("| | req/s | p50 ms | p99 ms | floor | ratio | target | |")
    print("|---|---:|---:|---:|---|---:|---|---|")
    for row in run.rows:
        result = row.result
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        verdict = {True: "met", False: "**missed**", None: ""}[row.met]
        notes = f" ({'; '.join(row.notes)})" if row.notes else ""
        rate = f"{result.rate:,.0f}" if row.floor != "icalendar alone" else "—"
        print(
            f"| {row.name} | {rate} | {result.p50_ms:.1f} | {result.p99_ms:.1f} |"
            f" {row.floor} | {ratio} | {row.target} | {verdict}{notes} |"
        )
    memory = run.memory["convene"]
    print(
        f"\nPeak memory of a worker: convene {memory:.0f} MB (target < 200 MB:"
        f" {'met' if memory < 200 else 'missed'}), floor {run.memory['floor']:.0f} MB."
    )
    return all(row.result.errors == 0 and row.correct for row in run.rows)


def machine() -> str:
    model = "unknown processor"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, Python {sys.version.split()[0]}"
        f" ({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "bench/load.py's own processes"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="briefly, on a small dataset")
    parser.add_argument(
        "--only", nargs="+", default=["pages", "feeds", "rush"], choices=["pages", "feeds", "rush"]
    )
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.scale, args.cold_runs, args.connections = 1, 0.02, 1, 4
    print(f"convene benchmark on {machine()}")
    print(f"{args.connections} connections, {args.seconds} s each, load from {generator()}")
    healthy = True
    with tempfile.TemporaryDirectory() as workdir:
        for kind in args.databases:
            healthy = report(bench(kind, args, Path(workdir))) and healthy
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
