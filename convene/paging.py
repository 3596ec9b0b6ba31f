"""Pages of a list already in memory, with the same attributes as Flask-SQLAlchemy's
Pagination, so templates page both alike (templates/_pager.html)."""

from dataclasses import dataclass
from math import ceil

from flask import request


@dataclass
class ListPage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def requested_page(last: int) -> int:
    """The page number `?page=` asks for, kept between 1 and `last` (1 if it is no number)."""
    return min(max(request.args.get("page", 1, type=int), 1), last)


def page_of(items: list, per_page: int) -> ListPage:
    """The page `?page=` asks for; a number past the end shows the last page."""
    page = requested_page(max(1, ceil(len(items) / per_page)))
    start = (page - 1) * per_page
    return ListPage(items[start : start + per_page], page, per_page, len(items))
