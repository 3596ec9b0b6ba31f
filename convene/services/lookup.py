"""Loading one row or refusing with NotFound: the lookups services start from."""

from typing import TypeVar

from sqlalchemy import select

from ..extensions import db
from . import NotFound

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
