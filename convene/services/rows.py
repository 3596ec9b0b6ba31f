"""One row loaded, written or deleted, or the domain error that says why not: NotFound
for a row that is not there, the caller's refusal for what the database's constraints
refuse."""

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from . import DomainError, NotFound

T = TypeVar("T")


def found(row: T | None, missing) -> T:
    """`row` itself; NotFound saying `missing` when there is none."""
    if row is None:
        raise NotFound(str(missing))
    return row


def of_event(model: type[T], row_id: int, event, missing) -> T:
    """The `model` row `row_id` loaded through its event, so a URL cannot pair one event with
    another's row; NotFound saying `missing` otherwise."""
    query = select(model).where(model.id == row_id, model.event_id == event.id)
    return found(db.session.scalar(query), missing)


def flush_or(refusal: DomainError) -> None:
    """Write now; `refusal` if a constraint of the database refuses what is written (a name
    taken meanwhile, a row other records still refer to). The caller rolls back."""
    try:
        db.session.flush()
    except IntegrityError:
        raise refusal from None


def delete_or(row, refusal: DomainError) -> None:
    """Delete `row` now; `refusal` while other records still refer to it."""
    db.session.delete(row)
    flush_or(refusal)


def get_visible(model, row_id: int, actor, may_see, message):
    """The `model` row `row_id` when `may_see(actor, row)`; NotFound with `message` for a
    missing row and a hidden one alike, so an id tells nobody what exists."""
    row = db.session.get(model, row_id)
    if row is None or not may_see(actor, row):
        raise NotFound(str(message))
    return row
