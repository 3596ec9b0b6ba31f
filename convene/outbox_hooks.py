"""The outbox in the app: attachments made at commit; after a response, the e-mail its
request queued delivered, and now and then the outbox swept.

The work runs once the response's last byte has been handed to the server, or when the
server closes the response, whichever comes first. (Werkzeug's server, under `flask run`,
never closes a response whose client reset the connection: delivery hung on that close
alone, and the message stayed pending with nobody to send it.)

Without a broker, each web process also sweeps at most every OUTBOX_SWEEP_SECONDS: it sends
whatever is pending and due (an answer the client left before it was written, a mail
server that was down, a claim left by a sender that died). Claims decide who sends, so
sweeps in several threads or processes at once send each message once.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, request

from . import database, jobs
from .services import outbox

log = logging.getLogger(__name__)

AFTER_RESPONSE = "convene.after_response"


class Sweeper:
    """One per process: delivers what is pending and due at most every `seconds`."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._next = time.monotonic()  # a process's first response sweeps at once
        self._lock = threading.Lock()

    def due(self) -> bool:
        """No query: asked after every response."""
        return time.monotonic() >= self._next

    def sweep(self) -> None:
        """Sweeps now, unless another thread of this process is or the last sweep is recent."""
        if not self._lock.acquire(blocking=False):
            return  # another thread of this process is sweeping
        try:
            if not self.due():
                return
            self._next = time.monotonic() + self.seconds
            jobs.deliver_mail()
        finally:
            self._lock.release()


class AfterResponse:
    """WSGI middleware: runs the job a request left in its environ after its response."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        body = self.wsgi_app(environ, start_response)
        job = environ.pop(AFTER_RESPONSE, None)
        return body if job is None else _ThenRun(body, job)


class _ThenRun:
    """The response's body, then the job: at its end, or at close if the server stops early."""

    def __init__(self, body: Iterable[bytes], job: Callable[[], None]):
        self.body, self.job = body, job

    def __iter__(self) -> Iterator[bytes]:
        yield from self.body
        self._run()

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._run()

    def _run(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job()


def _guarded(app: Flask, work: Callable[[], object], what: str) -> None:
    with app.app_context():
        try:
            work()
        except Exception:  # noqa: BLE001 — nothing is lost: the messages stay in the outbox
            log.exception("%s failed; the outbox keeps the messages for the next sweep", what)


def init_app(app: Flask) -> None:
    # An attachment queued as a function is made as its transaction commits.
    database.on_session(
        [
            ("before_commit", outbox.make_attachments),
            ("after_transaction_end", outbox.forget_attachments),
        ]
    )
    delivering = app.config["OUTBOX_DELIVERY"] == "after_request"
    seconds = app.config["OUTBOX_SWEEP_SECONDS"]
    # With a broker, beat sweeps; in "manual" mode, only `outbox deliver` sends.
    sweeper = None
    if delivering and seconds > 0 and not app.config["CELERY_BROKER_URL"]:
        sweeper = Sweeper(seconds)
    app.wsgi_app = AfterResponse(app.wsgi_app)

    @app.after_request
    def deliver_after_response(response):
        ids = outbox.take_queued_ids()  # always: what is queued belongs to this request
        ids = ids if delivering else []
        sweep = sweeper is not None and sweeper.due()
        if ids or sweep:

            def job():
                if ids:
                    _guarded(app, lambda: jobs.dispatch_mail(ids), "delivering a request's mail")
                if sweep:
                    _guarded(app, sweeper.sweep, "the outbox sweep")

            request.environ[AFTER_RESPONSE] = job
        return response
