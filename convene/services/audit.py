"""The audit log: every service that changes roles, members, proposals (their text, co-host
answers, decisions), event settings, organisers' moves of registrations or assessments
records it here.

An entry joins the session of the change it describes, so both are committed together or
neither is. Nothing here changes or deletes an entry; the model refuses it anyway.
"""

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, inspect, select

from ..extensions import db
from ..models import AuditEntry, User
from ..policy import Actor, actor_id

PER_PAGE = 25
# A value longer than this once written as JSON is kept shortened.
SMALL = 200


def record(
    actor: Actor | None,
    action: str,
    obj_type: str,
    obj_id: int,
    summary: str,
    details: dict | None = None,
) -> AuditEntry:
    """Add an entry for a change `actor` made (None or SYSTEM: the system) to the session."""
    entry = AuditEntry(
        actor_id=actor_id(actor),
        # People by number, not by address: the log cannot be edited, so it must not
        # keep personal data that an erased account would otherwise leave behind.
        actor_label=f"person #{actor_id(actor)}" if actor_id(actor) else "system",
        action=action,
        object_type=obj_type,
        object_id=obj_id,
        summary=summary[:500],
        details={name: plain(value) for name, value in (details or {}).items()},
    )
    db.session.add(entry)
    return entry


def plain(value):
    """`value` as JSON can keep it: enums by value, times in ISO 8601, rows by slug."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, db.Model):
        if hasattr(value, "slug"):
            return value.slug
        columns = inspect(value).mapper.column_attrs
        return {
            c.key: plain(getattr(value, c.key))
            for c in columns
            if c.key != "id" and not c.key.endswith("_id")
        }
    return value


def small(value):
    """`value` made plain, or shortened to a string when it is long."""
    value = plain(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) <= SMALL:
        return value
    return text[: SMALL - 1] + "…"


def snapshot(obj, names) -> dict:
    """The plain values of `obj`'s attributes `names`, before a change."""
    return {name: plain(getattr(obj, name)) for name in names}


def changes(before: dict, obj) -> dict:
    """{field: {"old": …, "new": …}} for the attributes of `before` that `obj` now differs in."""
    after = snapshot(obj, before)
    return {
        name: {"old": small(before[name]), "new": small(after[name])}
        for name in before
        if before[name] != after[name]
    }


@dataclass
class AuditFilters:
    action: str | None = None  # a prefix: "role." or "role.granted"
    object_type: str | None = None
    object_id: int | None = None
    actor: str | None = None  # part of the actor's e-mail address, or "system"


def entries_query(filters: AuditFilters) -> Select:
    """The entries `filters` ask for, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.actor:
        actor = filters.actor.strip().lower()
        people = select(User.id).where(func.lower(User.email).contains(actor, autoescape=True))
        query = query.where(
            AuditEntry.actor_id.in_(people)
            | func.lower(AuditEntry.actor_label).contains(actor, autoescape=True)
        )
    return query


def entries(filters: AuditFilters, page: int = 1):
    """One page of the entries `filters` ask for, newest first (a page past the end is empty)."""
    return db.paginate(
        entries_query(filters), page=max(page, 1), per_page=PER_PAGE, error_out=False
    )
