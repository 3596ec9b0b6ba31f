"""Declarations that many tables repeat, written once: a foreign key to a row's id, the
rows a parent owns, the tables and rows that link two others, and a repr by slug.

Each returns the `mapped_column`, `relationship`, `Table` or mixin the tables used to
spell out themselves, so the schema is the same as when they did.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, MappedColumn, Relationship, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


def id_column(table: str) -> str:
    """The name of a column holding ids of `table` (a plural name): "events" -> "event_id"."""
    return f"{table.removesuffix('s')}_id"


def foreign_key(table: str, *, ondelete: str, **column) -> MappedColumn:
    """A column holding the id of a row of `table`; `ondelete` says what deleting that row
    does here (CASCADE, SET NULL, RESTRICT). Other keywords go to `mapped_column`."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete=ondelete), **column)


def owned(by: str, **options) -> Relationship:
    """The rows that belong to this one, whose attribute `by` points back to it: saved with
    it, and deleted with it or when taken off the list. Other keywords go to `relationship`."""
    return relationship(back_populates=by, cascade="all, delete-orphan", **options)


def link_table(name: str, owner: str, linked: str) -> Table:
    """The table `name` linking rows of `owner` to rows of `linked`, by their `id_column`s:
    deleting the owner deletes its links; a linked row still in use cannot be deleted."""
    return Table(
        name,
        db.metadata,
        Column(id_column(owner), ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            id_column(linked),
            ForeignKey(f"{linked}.id", ondelete="RESTRICT"),
            primary_key=True,
            index=True,
        ),
    )


def link_row(first: str, second: str) -> type:
    """A mixin for a table whose rows pair a row of `first` with one of `second`, each pair
    at most once. Its columns: id, the `id_column`s of `first` and `second`, the table's own,
    then created_at. Deleting either row deletes the pair. The unique pair's index serves
    lookups by the first column, so only the second has an index of its own."""
    first_id, second_id = id_column(first), id_column(second)

    class LinkRow:
        __table_args__ = (UniqueConstraint(first_id, second_id),)

        # sort_order keeps the columns where the tables have always had them.
        id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
        created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=1)

    first_key = foreign_key(first, ondelete="CASCADE", nullable=False, sort_order=-2)
    second_key = foreign_key(second, ondelete="CASCADE", nullable=False, index=True, sort_order=-1)
    setattr(LinkRow, first_id, first_key)
    setattr(LinkRow, second_id, second_key)
    return LinkRow


class ShownBySlug:
    """A row shown in logs and the shell as its class and slug: <Event summit-2025>."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.slug}>"
