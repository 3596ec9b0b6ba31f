"""GET /api/v1/themes: the theme tree with its names and thematic leaders."""

import marshmallow as ma

from ..caching import cached_page
from ..services import themes as theme_service
from .common import ID, PageArgs, collection_schema
from .doc import api_error
from .routing import Blueprint

blp = Blueprint("api_themes", __name__, url_prefix="/api/v1/themes", description="Themes")


class Names(ma.Schema):
    en = ma.fields.String(required=True, metadata={"example": "Open justice"})
    fr = ma.fields.String(required=True, metadata={"example": "Justice ouverte"})
    es = ma.fields.String(required=True, metadata={"example": "Justicia abierta"})


class ThemeOut(ma.Schema):
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


ThemeCollection = collection_schema(ThemeOut, "ThemeCollection")


def _theme_out(theme) -> dict:
    return {
        "id": theme.id,
        "slug": theme.slug,
        "parent": theme.parent.slug if theme.parent else None,
        "names": {"en": theme.name_en, "fr": theme.name_fr, "es": theme.name_es},
        "description": theme.description,
        "leader_member_ids": sorted(leader.member_id for leader in theme.leaders),
    }


@blp.route("")
@cached_page
@blp.arguments(PageArgs, location="query")
@blp.response(200, ThemeCollection)
def list_themes(args):
    """Every theme, parents before their children.

    Themes form a tree: `parent` names a theme's parent by its slug.
    """
    tree = [_theme_out(theme) for theme, _depth in theme_service.theme_tree()]
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": tree[start : start + args["per_page"]],
        "total": len(tree),
        "page": args["page"],
        "per_page": args["per_page"],
    }


@blp.route(f"/<{ID}:theme_id>")
@cached_page
@blp.response(200, ThemeOut)
@blp.alt_response(404, **api_error(404, "No such theme", "No such theme."))
def get_theme(theme_id):
    """One theme, with its names and thematic leaders."""
    return _theme_out(theme_service.get_theme(theme_id))
