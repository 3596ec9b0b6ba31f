"""The partnership's priority themes and the members that lead them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .columns import ShownBySlug, foreign_key, link_row, owned


class Theme(ShownBySlug, db.Model):
    __tablename__ = "themes"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    parent_id: Mapped[int | None] = foreign_key("themes", ondelete="RESTRICT", index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Theme | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Theme"]] = relationship(
        back_populates="parent", order_by="Theme.position, Theme.slug"
    )
    leaders: Mapped[list["ThemeLeader"]] = owned(by="theme")

    def name(self, locale: str | None = None) -> str:
        """The theme's name in `locale` (en, fr or es), English otherwise."""
        return getattr(self, f"name_{locale}", None) or self.name_en


class ThemeLeader(link_row("themes", "members"), db.Model):
    """A member in a theme's thematic-leader group; its focal points review that theme."""

    __tablename__ = "theme_leaders"
    # Columns, from link_row: id, theme_id, member_id, created_at.

    theme: Mapped[Theme] = relationship(back_populates="leaders")
    member: Mapped["Member"] = relationship()  # noqa: F821
