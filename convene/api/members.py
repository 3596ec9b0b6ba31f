"""GET /api/v1/members: the partnership's members."""

from ..caching import cached_page
from ..services import members as member_service
from .common import ID, paginate
from .doc import api_error
from .routing import Blueprint
from .schemas.members import MemberArgs, MemberCollection, MemberOut

blp = Blueprint("api_members", __name__, url_prefix="/api/v1/members", description="Members")


@blp.route("")
@cached_page
@blp.arguments(MemberArgs, location="query")
@blp.response(200, MemberCollection)
def list_members(args):
    """Members, by name, filtered by kind, country or part of the name."""
    query = member_service.members_query(args.get("kind"), args.get("country"), args.get("q"))
    return paginate(query, args["page"], args["per_page"])


@blp.route(f"/<{ID}:member_id>")
@cached_page
@blp.response(200, MemberOut)
@blp.alt_response(404, **api_error(404, "No such member", "No such member."))
def get_member(member_id):
    """One member."""
    return member_service.get_member(member_id)
