"""The e-mail outbox: messages are queued in the caller's transaction, delivered after.

Queuing renders the message in the recipient's language and adds a row to the session;
the caller's commit makes the message and the change it reports durable together.
Delivery claims each row before sending it, so two processes never send one message, and
holds no transaction open while the mail server answers.
"""

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .. import policy
from ..database import writing
from ..extensions import db
from ..models import MessageStatus, OutboxMessage, utcnow
from ..policy import Actor

log = logging.getLogger(__name__)

# A message claimed longer ago than this was being sent by a process that died.
STALE_CLAIM = timedelta(minutes=15)
SESSION_KEY = "convene.outbox"
ATTACHMENTS_KEY = "convene.outbox.attachments"

# (file name, MIME type, text), such as an event's .ics file.
Attachment = tuple[str, str, str]


def queue_mail(
    to: str,
    kind: str,
    subject,
    template: str,
    locale: str | None = None,
    attachment: Attachment | Callable[[], Attachment] | None = None,
    **context,
) -> OutboxMessage:
    """Add a message to the current transaction; it is sent only if that commits.

    `attachment` is an Attachment, or a function making one: it is then made as the
    transaction commits, from the rows as they are committed. (An .ics made midway through
    a change that ends in a later second would carry a LAST-MODIFIED no feed ever writes.)
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = OutboxMessage(
            to_address=to,
            kind=kind,
            subject=str(subject),
            body_text=render_template(f"emails/{template}.txt", **context),
        )
    if callable(attachment):
        db.session.info.setdefault(ATTACHMENTS_KEY, []).append((message, attachment))
    elif attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_body = attachment
    db.session.add(message)
    db.session.info.setdefault(SESSION_KEY, []).append(message)
    return message


def make_attachments(session: Session) -> None:
    """Before a commit (outbox_hooks listens): the attachments queued as functions are made
    from the rows as they are being committed."""
    if session.in_nested_transaction():
        return  # a savepoint: the rows may still change before the real commit
    waiting = session.info.pop(ATTACHMENTS_KEY, None)
    if not waiting:
        return
    session.flush()  # every change of the transaction written: the state being committed
    for message, make in waiting:
        if message in session:  # not dropped with a savepoint rolled back
            message.attachment_name, message.attachment_type, message.attachment_body = make()


def forget_attachments(session: Session, transaction) -> None:
    """After a transaction ends (outbox_hooks listens): a rollback forgets what it queued."""
    if transaction.parent is None:  # rolled back (a commit has taken them already)
        session.info.pop(ATTACHMENTS_KEY, None)


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


@dataclass(frozen=True)
class _Letter:
    """A claimed message, read while claiming it: sending it needs no transaction."""

    id: int
    to_address: str
    subject: str
    body_text: str
    created_at: datetime
    attachment_name: str | None
    attachment_type: str | None
    attachment_body: str | None

    @classmethod
    def of(cls, message: OutboxMessage) -> "_Letter":
        return cls(**{name: getattr(message, name) for name in cls.__dataclass_fields__})


class _Transport:
    """One SMTP connection for a batch, opened on first use; the log when no server is set."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def send(self, message: _Letter, email: EmailMessage) -> None:
        if not self.config["MAIL_SERVER"]:
            log.info(
                "mail not sent (no MAIL_SERVER) to %s\nSubject: %s\n\n%s",
                message.to_address,
                message.subject,
                message.body_text,
            )
            return
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(email)

    def compose(self, message: _Letter) -> EmailMessage:
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


def _claim(message_id: int) -> _Letter | None:
    """The message, marked as being sent by this process; None if another sender has it.

    It comes back read and its claim committed: sending it holds no transaction open. (On
    SQLite an open writer holds the database's one write lock: every request that writes
    waited for the mail server, and failed with "database is locked" past the busy timeout.)
    """
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.PENDING)
        .values(status=MessageStatus.SENDING, claimed_at=utcnow())
    )
    letter = None
    if result.rowcount == 1:
        letter = _Letter.of(db.session.get(OutboxMessage, message_id, populate_existing=True))
    db.session.commit()
    return letter


def release_stale_claims() -> int:
    """Put back messages whose sender died between claiming and finishing them.

    The attempt that died counts: a message that keeps killing its sender ends failed
    after OUTBOX_MAX_ATTEMPTS instead of being taken up again for ever.
    """
    db.session.commit()  # a fresh transaction, begun as a writer
    with writing():
        result = _release()
    db.session.commit()
    return result


def _release() -> int:
    now = utcnow()
    stale = (
        OutboxMessage.status == MessageStatus.SENDING,
        OutboxMessage.claimed_at < now - STALE_CLAIM,
    )
    died = {
        "attempts": OutboxMessage.attempts + 1,
        "claimed_at": None,
        "last_error": "the sender stopped while sending (its claim was taken back)",
    }
    last = OutboxMessage.attempts + 1 >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    failed = db.session.execute(
        update(OutboxMessage).where(*stale, last).values(status=MessageStatus.FAILED, **died)
    )
    again = db.session.execute(
        update(OutboxMessage)
        .where(*stale)
        .values(status=MessageStatus.PENDING, next_attempt_at=now, **died)
    )
    return failed.rowcount + again.rowcount


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
    due = OutboxMessage.next_attempt_at <= utcnow()
    if ids is not None:
        if not ids:
            return report
        # Messages just committed go now, whatever the clock of the process that wrote
        # them said (a worker's may run behind a web server's); a failed one keeps its delay.
        due = or_(due, OutboxMessage.attempts == 0)
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.PENDING, due)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    candidates = db.session.scalars(query).all()
    db.session.commit()
    transport = _Transport(current_app.config)
    try:
        for message_id in candidates:
            message = _claim(message_id)
            if message is None:
                continue
            try:
                email = transport.compose(message)
            except Exception as error:  # noqa: BLE001 — only this message's content is at fault
                # Sending it again cannot help; the rest of the batch still goes.
                _record(message, error, final=True)
                report.failed.append(message_id)
                continue
            try:
                transport.send(message, email)
            except (smtplib.SMTPException, OSError) as error:
                _record(message, error)
                report.failed.append(message_id)
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    break  # the server is unreachable or refusing: leave the rest for later
                continue
            _record(message)
            report.sent.append(message_id)
    finally:
        transport.close()
    return report


def _record(sent: _Letter, error: Exception | None = None, final: bool = False) -> None:
    """Write down how an attempt at a claimed message ended, in a transaction of its own."""
    message = db.session.get(OutboxMessage, sent.id)
    if message is None:
        db.session.rollback()
        return  # deleted while it was being sent: nothing is left to record
    message.attempts += 1
    if error is None:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
        db.session.commit()
        return
    why = message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.claimed_at = None
    if final or message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = utcnow() + _backoff(message.attempts)
    db.session.commit()
    # From `why`: reading the message after the commit would begin another transaction.
    log.warning("mail %s to %s failed: %s", sent.id, sent.to_address, why)


def retry_failed(actor: Actor) -> int:
    """Make every failed message due again (the caller commits); returns how many."""
    policy.require_administer(actor)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.FAILED)
        .values(status=MessageStatus.PENDING, next_attempt_at=utcnow(), attempts=0)
    )
    return result.rowcount
