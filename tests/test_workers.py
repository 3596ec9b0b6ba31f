"""Real workers: a Celery worker and beat against the Redis on 127.0.0.1:6379, and two
gunicorn workers sharing rate limits and cached feeds through it. Each test runs the
real processes, as `Procfile` does, on the suite's database."""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from convene.extensions import db
from convene.models import MessageStatus, OutboxMessage
from convene.services.outbox import queue_mail

from .conftest import require_redis
from .smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Databases 13–15 of the local Redis belong to the tests; they are emptied before use.
REDIS = "redis://127.0.0.1:6379/{}"


def wait_for(predicate, seconds=30.0, every=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(every)
    return predicate()


@pytest.fixture
def redis_url():
    url = REDIS.format(14)
    require_redis(url)
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def environment(database_url, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONVENE_", "REDIS"))}
    env.update(
        CONVENE_ENV="testing",
        SECRET_KEY="test-secret-key",
        DATABASE_URL=database_url,
        BASE_URL="http://convene.test",
        PYTHONPATH=str(ROOT),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture
def celery_processes(database_url, redis_url, smtp_server, tmp_path):
    """Starts `celery worker` (and `beat` when asked) as the Procfile does."""
    started = []
    env = environment(
        database_url,
        REDIS_URL=redis_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MAIL_USE_TLS=0,
        OUTBOX_SWEEP_SECONDS=1,
    )

    def start(kind: str):
        extra = ["--pool", "solo"] if kind == "worker" else ["--schedule", str(tmp_path / "beat")]
        log = open(tmp_path / f"{kind}.log", "w")  # noqa: SIM115 — closed at teardown
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "convene.worker", kind, "--loglevel", "INFO", *extra],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    yield start
    for process, _log in started:
        process.terminate()
    for process, log in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_a_worker_delivers_the_mail_a_request_queued(
    make_app, redis_url, smtp_server, celery_processes, tmp_path
):
    app = make_app(
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MAIL_USE_TLS=False,
    )
    celery_processes("worker")

    response = app.test_client().post(
        "/sign-up",
        data={
            "name": "Wanda Worker",
            "email": "wanda@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )

    assert response.status_code == 200 and b"Check your e-mail" in response.data
    delivered = wait_for(lambda: smtp_server.inbox.to("wanda@example.org"))
    assert delivered, (tmp_path / "worker.log").read_text()[-3000:]
    assert len(delivered) == 1
    with app.app_context():
        [message] = db.session.query(OutboxMessage).filter_by(to_address="wanda@example.org")
        assert message.status is MessageStatus.SENT


def test_beat_sweeps_the_outbox_on_schedule_and_a_worker_sends(
    app, redis_url, smtp_server, celery_processes, tmp_path
):
    # Written with no request to dispatch it, as if the broker had been down at the time:
    # only the scheduled sweep can find it.
    queue_mail(
        "left@example.org",
        "test",
        "Left",
        "reset_password",
        url="http://x",
        user={"name": "Leo"},
        minutes=5,
    )
    db.session.commit()
    celery_processes("worker")
    celery_processes("beat")

    delivered = wait_for(lambda: smtp_server.inbox.to("left@example.org"), seconds=45)

    logs = "".join((tmp_path / f"{k}.log").read_text()[-1500:] for k in ("beat", "worker"))
    assert delivered, logs
    assert "convene.deliver_mail" in (tmp_path / "beat.log").read_text()


def test_a_broker_that_is_down_loses_no_mail(make_app, smtp_server):
    # Nothing listens on port 9: queuing the task fails, the message stays pending.
    app = make_app(
        REDIS_URL="redis://127.0.0.1:9/0",
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MAIL_USE_TLS=False,
    )
    app.extensions["celery"].conf.broker_connection_max_retries = 0
    app.extensions["celery"].conf.broker_connection_timeout = 1

    response = app.test_client().post(
        "/sign-up",
        data={
            "name": "Bruno Broker",
            "email": "bruno@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )

    assert response.status_code == 200 and b"Check your e-mail" in response.data
    with app.app_context():
        [message] = db.session.query(OutboxMessage).filter_by(to_address="bruno@example.org")
        assert message.status is MessageStatus.PENDING
    assert smtp_server.inbox.to("bruno@example.org") == []


# Two gunicorn workers ------------------------------------------------------------------


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    url = REDIS.format(13)
    require_redis(url)
    redis.Redis.from_url(url).flushdb()
    port = free_port()
    log = tmp_path / "access.log"
    output = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 — closed at teardown
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=environment(
            database_url,
            REDIS_URL=url,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY=2,
            GUNICORN_ACCESS_LOG=str(log),
        ),
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200
        except OSError:
            return False

    assert wait_for(up), (tmp_path / "gunicorn.log").read_text()
    yield base, log, redis.Redis.from_url(url)
    process.terminate()
    process.wait(timeout=15)
    output.close()
    redis.Redis.from_url(url).flushdb()


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_two_gunicorn_workers_share_rate_limits_and_feeds_through_redis(gunicorn):
    base, log, client = gunicorn
    body = b'{"email": "nobody@example.org", "password": "wrong", "name": "t"}'
    statuses, lock = [], threading.Lock()

    def attempt():
        for _ in range(6):
            status, headers, _body = fetch(
                f"{base}/api/v1/tokens", body, {"Content-Type": "application/json"}
            )
            with lock:
                statuses.append((status, headers.get("Retry-After")))

    # Two clients at once keep both workers busy, so both take requests.
    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The token endpoint allows 10 a minute per address, counted across both workers.
    limited = [retry for status, retry in statuses if status == 429]
    assert len(statuses) == 12 and len(limited) == 2, statuses
    assert all(retry and int(retry) > 0 for retry in limited)
    pids = {line.split("pid=")[1].split()[0] for line in log.read_text().splitlines()}
    assert len(pids) == 2, log.read_text()

    first = fetch(f"{base}/calendar.ics")
    second = fetch(f"{base}/calendar.ics")
    assert first[0] == second[0] == 200 and first[1]["ETag"] == second[1]["ETag"]
    assert list(client.scan_iter("convene:cache:feed:*")), "the feed was not cached in Redis"
