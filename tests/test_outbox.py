"""The outbox: messages written with their change, delivered once over real SMTP."""

import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import event, select
from werkzeug.serving import make_server

from convene import jobs
from convene.database import writing
from convene.extensions import db
from convene.models import MessageStatus, OutboxMessage, Registration, utcnow
from convene.policy import SYSTEM
from convene.services import outbox

from .conftest import outbox_to
from .factories import make_event, make_user
from .smtp import free_port


def mail_app(make_app, smtp_server, **overrides):
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port, "MAIL_USE_TLS": False}
    return make_app(**{**settings, "MAIL_TIMEOUT": 2, **overrides})


def test_a_message_is_only_written_if_its_transaction_commits(app):
    outbox.queue_mail(
        "a@example.org",
        "test",
        "Hello",
        "confirm_email",
        user=type("U", (), {"name": "A"}),
        hours=1,
        url="http://x",
    )
    db.session.rollback()
    assert outbox_to("a@example.org") == []


def test_sign_up_mail_reaches_a_real_smtp_server_after_the_response(make_app, smtp_server):
    app = mail_app(make_app, smtp_server)
    client = app.test_client()
    response = client.post(
        "/sign-up",
        data={
            "name": "Ana",
            "email": "ana@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    assert response.status_code == 200
    [received] = smtp_server.inbox.to("ana@example.org")
    assert received["Subject"] == "Confirm your e-mail address"
    assert "/confirm/" in received.get_content()
    with app.app_context():
        [message] = outbox_to("ana@example.org")
        assert message.status is MessageStatus.SENT
        assert message.attempts == 1


def test_mail_server_down_keeps_messages_pending_then_delivers_each_once(make_app, smtp_server):
    app = mail_app(make_app, smtp_server)
    smtp_server.stop()
    client = app.test_client()
    for n in range(3):
        response = client.post("/password/forgot", data={"email": f"p{n}@example.org"})
        assert response.status_code == 200
    for n in range(3):
        make_user(email=f"q{n}@example.org")
        assert (
            client.post("/password/forgot", data={"email": f"q{n}@example.org"}).status_code == 200
        )
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert len(messages) == 3
        assert all(m.status is MessageStatus.PENDING and m.attempts == 1 for m in messages)
        assert all("ConnectionRefused" in (m.last_error or "") for m in messages[:1])
        # Due again now, as if the back-off had passed.
        for message in messages:
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

        smtp_server.start()
        report = outbox.deliver_pending()
        assert len(report.sent) == 3
        again = outbox.deliver_pending()
        assert again.sent == []
        assert sorted(m["To"] for m in smtp_server.inbox.messages) == [
            "q0@example.org",
            "q1@example.org",
            "q2@example.org",
        ]


def test_after_max_attempts_a_message_fails_and_retry_makes_it_due(app):
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=1,
        MAIL_TIMEOUT=1,
        MAIL_USE_TLS=False,
        OUTBOX_MAX_ATTEMPTS=2,
    )
    try:
        message = OutboxMessage(to_address="x@example.org", subject="s", body_text="b", kind="t")
        db.session.add(message)
        db.session.commit()
        for _ in range(2):
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            outbox.deliver_pending()
        db.session.refresh(message)
        assert message.status is MessageStatus.FAILED
        assert message.attempts == 2
        assert outbox.retry_failed(SYSTEM) == 1
        db.session.commit()
        db.session.refresh(message)
        assert message.status is MessageStatus.PENDING
    finally:
        app.config.update(MAIL_SERVER="", OUTBOX_MAX_ATTEMPTS=8)


def test_a_claimed_message_is_not_sent_by_another_process(app):
    message = OutboxMessage(
        to_address="x@example.org",
        subject="s",
        body_text="b",
        kind="t",
        status=MessageStatus.SENDING,
        claimed_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    assert outbox.deliver_pending().sent == []
    assert outbox.release_stale_claims() == 0
    message.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert outbox.release_stale_claims() == 1
    assert outbox.deliver_pending().sent == [message.id]


def test_a_message_deleted_while_it_is_sent_is_left_alone(app):
    """The row may be gone when the sender comes back to record the attempt (an emptied
    database, an administrator's clean-up): the sender moves on to the next message."""
    message = OutboxMessage(to_address="x@example.org", subject="s", body_text="b", kind="t")
    db.session.add(message)
    db.session.commit()
    letter = outbox._claim(message.id)
    db.session.delete(db.session.get(OutboxMessage, message.id))
    db.session.commit()

    outbox._record(letter)

    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_without_a_mail_server_messages_are_logged_and_marked_sent(client, app, caplog):
    caplog.set_level("INFO", logger="convene.services.outbox")
    client.post(
        "/sign-up",
        data={
            "name": "Bo",
            "email": "bo@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    [message] = outbox_to("bo@example.org")
    assert message.status is MessageStatus.SENT
    assert "bo@example.org" in caplog.text


def test_manual_delivery_leaves_messages_for_the_command(make_app):
    app = make_app(OUTBOX_DELIVERY="manual")
    client = app.test_client()
    client.post(
        "/sign-up",
        data={
            "name": "Cy",
            "email": "cy@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    with app.app_context():
        [message] = outbox_to("cy@example.org")
        assert message.status is MessageStatus.PENDING
        runner = app.test_cli_runner()
        result = runner.invoke(args=["outbox", "deliver"])
        assert "Sent 1" in result.output
        db.session.refresh(message)
        assert message.status is MessageStatus.SENT


def test_an_attachment_travels_with_its_message(make_app, smtp_server):
    app = mail_app(make_app, smtp_server)
    with app.app_context():
        message = OutboxMessage(
            to_address="cal@example.org",
            subject="s",
            body_text="b",
            kind="t",
            attachment_name="event.ics",
            attachment_type="text/calendar",
            attachment_body="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        )
        db.session.add(message)
        db.session.commit()
        assert outbox.deliver_pending().sent == [message.id]
    [received] = smtp_server.inbox.to("cal@example.org")
    [part] = list(received.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_filename() == "event.ics"
    assert b"BEGIN:VCALENDAR" in part.get_payload(decode=True)


def test_registrations_succeed_while_the_mail_server_is_down_and_each_mail_goes_once(
    make_app, smtp_server
):
    app = mail_app(make_app, smtp_server)
    event = make_event(capacity=2)
    smtp_server.stop()
    client = app.test_client()
    people = [f"reg{n}@example.org" for n in range(4)]
    for address in people:
        response = client.post(
            f"/events/{event.slug}/register",
            data={"name": "Rae", "email": address, "sector": "academia"},
        )
        assert response.status_code in (200, 302)
    with app.app_context():
        saved = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        assert [r.user.email for r in saved] == people
        pending = db.session.scalars(select(OutboxMessage)).all()
        assert len(pending) == 4
        assert all(m.status is MessageStatus.PENDING for m in pending)
        for message in pending:
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

        smtp_server.start()
        # The sweep a cron line or Celery beat runs; a second one finds nothing left.
        assert len(jobs.deliver_mail().sent) == 4
        assert jobs.deliver_mail().sent == []
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == people


# Delivery that cannot be skipped, and the sweep without a broker ---------------------------

ROOT = Path(__file__).resolve().parent.parent


def pending(to: str = "left@example.org", **fields) -> int:
    """A message written and committed with nobody to deliver it; returns its id."""
    message = OutboxMessage(**{"subject": "Left", "body_text": "b", "kind": "t", **fields})
    message.to_address = to
    db.session.add(message)
    db.session.commit()
    return message.id


def wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not (value := predicate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def post_then_reset(port: int, path: str, form: dict) -> bytes:
    """POST, read the whole answer, then reset the connection, as a browser that gives up
    on a page does. Bytes sent after the form keep werkzeug's server reading the
    connection after its answer, so the reset reaches it there every time."""
    body = urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode() + body + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
        headers, _blank, content = answer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: (\d+)", headers).group(1))
        while len(content) < length:
            content += connection.recv(65536)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return headers.split(b"\r\n", 1)[0]


def test_mail_goes_out_when_the_client_resets_the_connection_after_the_answer(
    make_app, smtp_server
):
    # werkzeug's server (`flask run`) never closes a response whose client reset the
    # connection: delivery hung on that close, and the message stayed pending for good.
    app = mail_app(make_app, smtp_server)
    make_user(email="reset@example.org")
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    try:
        status = post_then_reset(server.port, "/password/forgot", {"email": "reset@example.org"})
        assert status == b"HTTP/1.1 200 OK"
        delivered = wait_for(lambda: smtp_server.inbox.to("reset@example.org"))
    finally:
        server.shutdown()
        serving.join()
    with app.app_context():
        [message] = outbox_to("reset@example.org")
        assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert len(delivered) == 1


def test_no_transaction_stays_open_while_the_mail_server_takes_its_time(make_app, smtp_server):
    # On SQLite an open writer holds the database's only write lock: every registration
    # waited for the mail server, and past the busy timeout failed with "database is locked".
    app = mail_app(make_app, smtp_server, MAIL_TIMEOUT=30)
    pending("slow@example.org")
    smtp_server.inbox.hold.set()

    def deliver():
        with app.app_context():
            outbox.deliver_pending()

    def write():
        with app.app_context(), writing():
            make_user(email="meanwhile@example.org")

    sender, writer = threading.Thread(target=deliver), threading.Thread(target=write)
    sender.start()
    try:
        assert smtp_server.inbox.held.wait(10)
        writer.start()
        writer.join(timeout=10)
        assert not writer.is_alive(), "a write waited for the mail server"
    finally:
        smtp_server.inbox.hold.clear()
        sender.join()
        writer.join()
    assert len(smtp_server.inbox.to("slow@example.org")) == 1


def test_a_sender_killed_mid_message_is_replaced_by_the_sweep_and_the_mail_goes_once(
    make_app, smtp_server, database_url, tmp_path
):
    app = mail_app(make_app, smtp_server, OUTBOX_SWEEP_SECONDS=1)
    message_id = pending("killed@example.org")
    smtp_server.inbox.hold.set()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONVENE_", "REDIS"))}
    env.update(
        CONVENE_ENV="testing",
        SECRET_KEY="test-secret-key",
        DATABASE_URL=database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_server.port),
        MAIL_USE_TLS="0",
        CELERY_BROKER_URL="",
        PYTHONPATH=str(ROOT),
    )
    with open(tmp_path / "sender.log", "w") as log:
        sender = subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "convene", "outbox", "deliver"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # Until it sends, or ends without sending (its log then says why).
            wait_for(lambda: smtp_server.inbox.held.is_set() or sender.poll() is not None, 120)
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait()
    assert smtp_server.inbox.held.is_set(), (tmp_path / "sender.log").read_text()
    assert smtp_server.inbox.dropped.wait(10)  # the message's data went, unacknowledged
    smtp_server.inbox.hold.clear()
    client = app.test_client()

    # The first response sweeps. The claim might be a live sender's: it is left alone.
    assert client.get("/healthz").status_code == 200
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message.status is MessageStatus.SENDING
    assert smtp_server.inbox.messages == []

    # Once the claim is older than any live sender's, the next sweep takes it back and sends.
    message.claimed_at = utcnow() - outbox.STALE_CLAIM - timedelta(seconds=1)
    db.session.commit()
    time.sleep(1.1)
    assert client.get("/healthz").status_code == 200
    time.sleep(1.1)
    assert client.get("/healthz").status_code == 200  # a later sweep finds nothing to send
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message.status is MessageStatus.SENT
    assert message.attempts == 2  # the one that died, and the one that went
    assert [m["To"] for m in smtp_server.inbox.messages] == ["killed@example.org"]


def test_without_a_broker_a_process_sweeps_after_a_response_at_most_every_interval(
    make_app, smtp_server
):
    app = mail_app(make_app, smtp_server, OUTBOX_SWEEP_SECONDS=3)
    client = app.test_client()
    pending("first@example.org")
    client.get("/healthz")  # a process's first answer sweeps: mail left before it started
    assert len(smtp_server.inbox.to("first@example.org")) == 1

    pending("second@example.org")
    seen = []

    def count(*args):
        seen.append(args[2])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/healthz")
        assert seen == [], "a request asked the database for mail before a sweep was due"
        assert smtp_server.inbox.to("second@example.org") == []
        time.sleep(3.1)
        client.get("/healthz")
        assert seen
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(smtp_server.inbox.to("second@example.org")) == 1


def test_the_sweep_is_off_with_a_broker_and_in_manual_mode(make_app, smtp_server):
    manual = mail_app(make_app, smtp_server, OUTBOX_SWEEP_SECONDS=1, OUTBOX_DELIVERY="manual")
    pending("manual@example.org")
    manual.test_client().get("/healthz")
    assert smtp_server.inbox.messages == []
    brokered = mail_app(
        make_app, smtp_server, OUTBOX_SWEEP_SECONDS=1, CELERY_BROKER_URL="redis://127.0.0.1:9/0"
    )
    brokered.test_client().get("/healthz")
    assert smtp_server.inbox.messages == []


def test_sweeps_at_the_same_time_send_each_message_once(make_app, smtp_server):
    app = mail_app(make_app, smtp_server)
    addresses = [f"many{n}@example.org" for n in range(12)]
    for address in addresses:
        pending(address)

    def sweep():
        with app.app_context():
            jobs.deliver_mail()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == sorted(addresses)


def test_mail_just_committed_goes_at_once_whatever_the_writer_clock_said(make_app, smtp_server):
    # Written by a web server whose clock runs ahead of this worker's: not yet "due" here.
    app = mail_app(make_app, smtp_server)
    ahead = utcnow() + timedelta(seconds=30)
    fresh = pending("fresh@example.org", next_attempt_at=ahead)
    # A message that failed before keeps its delay, whoever asks.
    retried = pending("retried@example.org", next_attempt_at=ahead, attempts=1)
    with app.app_context():
        assert outbox.deliver_pending([fresh, retried]).sent == [fresh]
    assert [m["To"] for m in smtp_server.inbox.messages] == ["fresh@example.org"]


def test_a_message_that_cannot_be_sent_fails_alone_and_the_rest_go(make_app, smtp_server):
    app = mail_app(make_app, smtp_server)
    broken = pending("broken@example.org", subject="Two\nlines")
    fine = pending("fine@example.org")
    with app.app_context():
        report = outbox.deliver_pending()
        assert (report.sent, report.failed) == ([fine], [broken])
        message = db.session.get(OutboxMessage, broken)
        assert message.status is MessageStatus.FAILED
        assert "ValueError" in message.last_error
    assert [m["To"] for m in smtp_server.inbox.messages] == ["fine@example.org"]


def test_a_message_whose_senders_keep_dying_ends_failed(app):
    app.config.update(OUTBOX_MAX_ATTEMPTS=3)
    try:
        long_ago = utcnow() - outbox.STALE_CLAIM - timedelta(seconds=1)
        again = pending(status=MessageStatus.SENDING, claimed_at=long_ago, attempts=1)
        last = pending(status=MessageStatus.SENDING, claimed_at=long_ago, attempts=2)
        assert outbox.release_stale_claims() == 2
        db.session.expire_all()
        assert db.session.get(OutboxMessage, again).status is MessageStatus.PENDING
        assert db.session.get(OutboxMessage, again).attempts == 2
        assert db.session.get(OutboxMessage, last).status is MessageStatus.FAILED
    finally:
        app.config.update(OUTBOX_MAX_ATTEMPTS=8)
