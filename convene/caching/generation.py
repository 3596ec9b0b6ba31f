"""The generation: a counter raised after every commit that changed a row, bulk statements
included, so that whatever is keyed by it is never served after a change."""

from flask import current_app, has_app_context
from flask_login import current_user

from ..database import on_session
from .store import EXTENSION, cache_of

CHANGED = "convene.changed"


def _flushed(session, _context) -> None:
    session.info[CHANGED] = True


def _executed(state) -> None:
    # Bulk INSERT/UPDATE/DELETE statements change rows without a flush.
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[CHANGED] = True


def _committed(session) -> None:
    changed = session.info.pop(CHANGED, False)
    if changed and has_app_context() and EXTENSION in current_app.extensions:
        cache_of(current_app).bump()


def _ended(session, transaction) -> None:
    # The outermost transaction ended without a commit (a commit took the mark above):
    # its changes are gone. A savepoint's end says nothing about the rest.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


LISTENERS = (
    ("after_flush", _flushed),
    ("do_orm_execute", _executed),
    ("after_commit", _committed),
    ("after_transaction_end", _ended),
)


def watch_commits() -> None:
    """Raise the committing app's generation after each commit of `db.session` that
    changed a row."""
    on_session(LISTENERS)


def anonymous_generation() -> int | None:
    """The generation to key what is kept for this reader, or None when nothing may be kept
    for them: keeping is off, they are signed in, or the cache cannot say."""
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0 or current_user.is_authenticated:
        return None
    return cache_of(current_app).generation()
