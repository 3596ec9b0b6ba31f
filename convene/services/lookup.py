"""Finding one row by its id for someone who may see it."""

from ..extensions import db
from . import NotFound


def get_visible(model, row_id: int, actor, may_see, message):
    """The `model` row `row_id` when `may_see(actor, row)`; NotFound with `message` for a
    missing row and a hidden one alike, so an id tells nobody what exists."""
    row = db.session.get(model, row_id)
    if row is None or not may_see(actor, row):
        raise NotFound(str(message))
    return row
