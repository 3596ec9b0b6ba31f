"""The outbox: messages written with their change, delivered once over real SMTP."""

from datetime import timedelta

from sqlalchemy import select

from convene import jobs
from convene.extensions import db
from convene.models import MessageStatus, OutboxMessage, Registration, utcnow
from convene.services import outbox
from convene.services.permissions import SYSTEM

from .conftest import outbox_to
from .factories import make_event, make_user


def mail_app(make_app, smtp_server, **overrides):
    return make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MAIL_USE_TLS=False,
        MAIL_TIMEOUT=2,
        **overrides,
    )


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
