"""What /api/v1/themes answers."""

import marshmallow as ma

from ...models import Theme
from .base import ObjectOut, collection_schema


class Names(ma.Schema):
    en = ma.fields.String(required=True, metadata={"example": "Open justice"})
    fr = ma.fields.String(required=True, metadata={"example": "Justice ouverte"})
    es = ma.fields.String(required=True, metadata={"example": "Justicia abierta"})


class ThemeOut(ObjectOut):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True, metadata={"example": "open-justice"})
    parent = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "the parent's slug; null for a top-level theme",
            "example": "open-state",
        },
    )
    names = ma.fields.Nested(Names, required=True)
    description = ma.fields.String(required=True)
    leader_member_ids = ma.fields.List(
        ma.fields.Integer(),
        required=True,
        metadata={
            "description": "the members of the theme's thematic-leader group",
        },
    )

    def get_parent(self, theme: Theme) -> str | None:
        return theme.parent.slug if theme.parent else None

    def get_names(self, theme: Theme) -> dict[str, str]:
        return {"en": theme.name_en, "fr": theme.name_fr, "es": theme.name_es}

    def get_leader_member_ids(self, theme: Theme) -> list[int]:
        return sorted(leader.member_id for leader in theme.leaders)


ThemeCollection = collection_schema(ThemeOut, "ThemeCollection")
