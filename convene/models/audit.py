"""The audit log: who changed what and when. Entries are only ever added.

The guard below makes that true for every code path through the ORM: a flush that would
change or delete an entry, or an ORM UPDATE or DELETE aimed at the table, is refused.
"""

from datetime import datetime

from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .columns import foreign_key


class AuditEntryIsFinal(RuntimeError):
    """Something tried to change or delete an audit entry."""


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None: the system (a command or a scheduled job), or a person since deleted.
    actor_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    # "person #<id>" or "system": by number, so an erased account leaves no address here.
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))  # "role.granted", "event.published" …
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    summary: Mapped[str] = mapped_column(String(500))
    # Changed fields with their old and new values when small; never secrets or answers.
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    # Who the actor is now (their current name and address, "Deleted account" once erased).
    actor: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.object_type}:{self.object_id}>"


@event.listens_for(Session, "before_flush")
def _entries_are_final(session, _flush_context, _instances) -> None:
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AuditEntryIsFinal("audit entries cannot be deleted")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry):
            raise AuditEntryIsFinal("audit entries cannot be changed")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is AuditEntry.__mapper__:
        raise AuditEntryIsFinal("audit entries cannot be changed or deleted")
