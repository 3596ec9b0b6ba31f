"""Finding people: the administrators' list of accounts."""

from sqlalchemy import ColumnElement, Select, func, or_, select

from ..models import User


def people_query(q: str | None = None) -> Select:
    """People by name then address; only those whose name or address contains `q`, if given."""
    query = select(User).order_by(func.lower(User.name), func.lower(User.email), User.id)
    text = (q or "").strip().lower()
    if text:
        query = query.where(name_or_email_contains(text))
    return query


def name_or_email_contains(text: str) -> ColumnElement[bool]:
    """A condition on User: the name or address, in lower case, contains `text` (lower
    case too), with `%` and `_` read as themselves."""
    return or_(
        func.lower(User.name).contains(text, autoescape=True),
        func.lower(User.email).contains(text, autoescape=True),
    )
