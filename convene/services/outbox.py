"""The e-mail outbox: messages are queued in the caller's transaction, delivered after.

Queuing renders the message in the recipient's language and adds a row to the session;
the caller's commit makes the message and the change it reports durable together.
Delivery claims each row before sending it, so two processes never send one message.
"""

import contextlib
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from ..database import writing
from ..extensions import db
from ..models import MessageStatus, OutboxMessage, utcnow
from .permissions import Actor, require_admin

log = logging.getLogger(__name__)

# A message claimed longer ago than this was being sent by a process that died.
STALE_CLAIM = timedelta(minutes=15)
SESSION_KEY = "convene.outbox"


def queue_mail(
    to: str,
    kind: str,
    subject,
    template: str,
    locale: str | None = None,
    attachment: tuple[str, str, str] | None = None,
    **context,
) -> OutboxMessage:
    """Add a message to the current transaction; it is sent only if that commits.

    `attachment` is (file name, MIME type, text), such as an event's .ics file.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = OutboxMessage(
            to_address=to,
            kind=kind,
            subject=str(subject),
            body_text=render_template(f"emails/{template}.txt", **context),
        )
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_body = attachment
    db.session.add(message)
    db.session.info.setdefault(SESSION_KEY, []).append(message)
    return message


def take_queued_ids() -> list[int]:
    """Ids of the messages this session queued and committed, forgetting them."""
    if not db.session.registry.has():
        return []  # no session was opened: nothing was queued (and none is made to ask)
    messages = db.session.info.pop(SESSION_KEY, [])
    ids = []
    for message in messages:
        identity = db.inspect(message).identity
        if identity is not None and not db.inspect(message).transient:
            ids.append(identity[0])
    return ids


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


class _Transport:
    """One SMTP connection for a batch, opened on first use; the log when no server is set."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def send(self, message: OutboxMessage) -> None:
        if not self.config["MAIL_SERVER"]:
            log.info(
                "mail not sent (no MAIL_SERVER) to %s\nSubject: %s\n\n%s",
                message.to_address,
                message.subject,
                message.body_text,
            )
            return
        email = self._compose(message)
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(email)

    def _compose(self, message: OutboxMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.config["MAIL_DEFAULT_SENDER"]
        email["To"] = message.to_address
        email["Subject"] = message.subject
        email["Date"] = format_datetime(message.created_at)
        email["Message-ID"] = make_msgid(idstring=f"convene.{message.id}")
        email.set_content(message.body_text)
        if message.attachment_body is not None:
            maintype, _slash, subtype = (message.attachment_type or "text/plain").partition("/")
            email.add_attachment(
                message.attachment_body.encode(),
                maintype=maintype,
                subtype=subtype,
                filename=message.attachment_name,
            )
        return email

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c["MAIL_USE_SSL"]:
            connection = smtplib.SMTP_SSL(
                c["MAIL_SERVER"],
                c["MAIL_PORT"],
                timeout=c["MAIL_TIMEOUT"],
                context=ssl.create_default_context(),
            )
        else:
            connection = smtplib.SMTP(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
            if c["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
        if c["MAIL_USERNAME"]:
            connection.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        return connection

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def _claim(message_id: int) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENDING, claimed_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def release_stale_claims() -> int:
    """Put back messages whose sender died between claiming and finishing them."""
    db.session.commit()  # a fresh transaction, begun as a writer
    with writing():
        result = _release()
    db.session.commit()
    return result


def _release() -> int:
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.claimed_at < utcnow() - STALE_CLAIM,
        )
        .values(status=MessageStatus.PENDING, claimed_at=None)
    )
    return result.rowcount


def deliver_pending(ids: list[int] | None = None, limit: int = 200) -> DeliveryReport:
    """Send due pending messages (only `ids`, if given), each at most once.

    A failure keeps the message pending with a growing delay; after OUTBOX_MAX_ATTEMPTS
    it is marked failed and stays for `outbox retry`. Commits after every message.
    """
    with writing():
        return _deliver(ids, limit)


def _deliver(ids: list[int] | None, limit: int) -> DeliveryReport:
    db.session.commit()  # start afresh, so the claims below begin as writers
    report = DeliveryReport()
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        if not ids:
            return report
        query = query.where(OutboxMessage.id.in_(ids))
    candidates = db.session.scalars(query).all()
    transport = _Transport(current_app.config)
    try:
        for message_id in candidates:
            if not _claim(message_id):
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                transport.send(message)
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(message, error)
                report.failed.append(message_id)
                db.session.commit()
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    break  # the server is unreachable or refusing: leave the rest for later
                continue
            message.status = MessageStatus.SENT
            message.sent_at = utcnow()
            message.attempts += 1
            db.session.commit()
            report.sent.append(message_id)
    finally:
        transport.close()
    return report


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.claimed_at = None
    if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = utcnow() + _backoff(message.attempts)
    log.warning("mail %s to %s failed: %s", message.id, message.to_address, message.last_error)


def retry_failed(actor: Actor) -> int:
    """Make every failed message due again (the caller commits); returns how many."""
    require_admin(actor)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.FAILED)
        .values(status=MessageStatus.PENDING, next_attempt_at=utcnow(), attempts=0)
    )
    return result.rowcount
