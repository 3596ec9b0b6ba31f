"""GET /api/v1/themes: the theme tree with its names and thematic leaders."""

from ..services import themes as theme_service
from .common import ID, page_of
from .doc import api_error
from .routing import Blueprint
from .schemas.base import PageArgs
from .schemas.themes import ThemeCollection, ThemeOut

blp = Blueprint("api_themes", __name__, url_prefix="/api/v1/themes", description="Themes")


blp.errors = {404: api_error(404, "No such theme", "No such theme.")}


@blp.route("")
@blp.operation(cached=True, query=PageArgs, answer=ThemeCollection)
def list_themes(args):
    """Every theme, parents before their children.

    Themes form a tree: `parent` names a theme's parent by its slug.
    """
    tree = [theme for theme, _depth in theme_service.theme_tree()]
    return page_of(tree, args["page"], args["per_page"])


@blp.route(f"/<{ID}:theme_id>")
@blp.operation(cached=True, answer=ThemeOut, errors=(404,))
def get_theme(theme_id):
    """One theme, with its names and thematic leaders."""
    return theme_service.get_theme(theme_id)
