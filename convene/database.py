"""Per-request database settings: requests that change data say so before they begin;
and listeners on the database session, set up by the app rather than at import."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from flask import Flask, g, request
from sqlalchemy import event

from .extensions import db, write_intent

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def writing():
    """Mark the work inside as writing (for jobs and commands outside requests)."""
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


def on_session(listeners: Iterable[tuple[str, Callable]]) -> None:
    """Each (event, listener) hears the sessions of `db.session` only (not every SQLAlchemy
    session in the process), and once however many apps the process makes."""
    for name, listener in listeners:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def init_app(app: Flask) -> None:
    @app.before_request
    def announce_writes():
        if request.method not in READ_METHODS:
            g.write_intent_token = write_intent.set(True)

    @app.teardown_request
    def forget_writes(_error=None):
        token = g.pop("write_intent_token", None)
        if token is not None:
            write_intent.reset(token)
