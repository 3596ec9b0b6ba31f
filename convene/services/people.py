"""Finding people: the administrators' list of accounts."""

from sqlalchemy import Select, func, or_, select

from ..models import User


def people_query(q: str | None = None) -> Select:
    """People by name then address; only those whose name or address contains `q`, if given."""
    query = select(User).order_by(func.lower(User.name), func.lower(User.email), User.id)
    text = (q or "").strip().lower()
    if text:
        query = query.where(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                func.lower(User.email).contains(text, autoescape=True),
            )
        )
    return query
