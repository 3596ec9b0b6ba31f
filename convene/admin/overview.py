"""What the administrators' dashboard and outbox page read."""

from sqlalchemy import Select, func, select

from ..extensions import db
from ..models import Member, MessageStatus, OutboxMessage, Theme, User


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def counts() -> dict[str, int]:
    """How many members, people and themes there are, and the mail still owed or failed."""
    return {
        "members": _count(Member),
        "people": _count(User),
        "themes": _count(Theme),
        "pending": _count(
            OutboxMessage, OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING])
        ),
        "failed": _count(OutboxMessage, OutboxMessage.status == MessageStatus.FAILED),
    }


def outbox_query(status: str | None = None) -> Select:
    """Outbox messages, newest first; only those with `status`, if given."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == MessageStatus(status))
    return query
