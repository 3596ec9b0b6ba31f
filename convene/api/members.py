"""GET /api/v1/members: the partnership's members."""

from ..services import members as member_service
from .common import ID, paginate
from .doc import api_error
from .routing import Blueprint
from .schemas.members import MemberArgs, MemberCollection, MemberOut

blp = Blueprint("api_members", __name__, url_prefix="/api/v1/members", description="Members")


blp.errors = {404: api_error(404, "No such member", "No such member.")}


@blp.route("")
@blp.operation(cached=True, query=MemberArgs, answer=MemberCollection)
def list_members(args):
    """Members, by name, filtered by kind, country or part of the name."""
    query = member_service.members_query(args.get("kind"), args.get("country"), args.get("q"))
    return paginate(query, args["page"], args["per_page"])


@blp.route(f"/<{ID}:member_id>")
@blp.operation(cached=True, answer=MemberOut, errors=(404,))
def get_member(member_id):
    """One member."""
    return member_service.get_member(member_id)
