"""Column types and helpers shared by every model."""

import enum
from datetime import UTC, datetime
from typing import TypeVar

from flask_babel.speaklater import LazyString
from sqlalchemy import JSON, DateTime, Enum, String, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from ..services.validation import canonical_timezone

# Ids are 32-bit signed integer columns: no row has a larger one.
MAX_ID = 2**31 - 1


def parse_id(text: str) -> int | None:
    """The number `text` spells if a row could have it as its id (decimal digits, at most
    MAX_ID), else None; a text of thousands of digits is not read."""
    # isdecimal, not isdigit: int() refuses digits such as "²".
    if not text.isdecimal() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no offset, PostgreSQL keeps `timestamptz`; either way the application
    only ever sees aware datetimes, so a naive one is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimezoneName(TypeDecorator):
    """An IANA timezone name, read back under its canonical name: a zone stored under an
    old alias (Asia/Calcutta, US/Eastern) reads as Asia/Kolkata, America/New_York, so
    forms, pages, feeds and the API only ever show canonical names. A name that has no
    canonical zone (Etc/GMT+5) reads as it was stored."""

    impl = String(64)
    cache_ok = True

    def process_result_value(self, value, dialect):
        return canonical_timezone(value) or value


# Every enum that people see, with its label (lazily translated) for each member: `labels`
# fills it beside the enum's definition; forms, templates (the `label` filter), CSV and
# e-mails all read the labels there.
LABELS: dict[type[enum.Enum], dict] = {}
E = TypeVar("E", bound=enum.Enum)


def labels(kind: type[E], table: dict[E, LazyString]) -> dict[E, LazyString]:
    """`table`, the label of each member of `kind` in the enum's order, registered for
    `label()`; a member left out or out of order fails at import."""
    if list(table) != list(kind):
        raise TypeError(f"{kind.__name__}: give every member a label, in the enum's order")
    LABELS[kind] = table
    return table


def label(member: enum.Enum) -> LazyString:
    """The member's label, translated when shown; a page renders it as before (unescaped
    as a lazy string is, so no label may hold markup)."""
    return LABELS[type(member)][member]


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A string column limited to the enum's values by a CHECK constraint named `name`."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Translatable:
    """A title and description written in one language (`language`), with translations
    into others: {"fr": {"title": …, "description": …}}. See services/content.py."""

    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
