"""GET /api/v1/members: the partnership's members."""

import marshmallow as ma
from flask_smorest import Blueprint

from ..models import MemberKind
from ..services import members as member_service
from .common import PageArgs, collection_schema, paginate

blp = Blueprint("api_members", __name__, url_prefix="/api/v1/members", description="Members")


class MemberOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True,
                            metadata={"enum": [kind.value for kind in MemberKind]})
    country = ma.fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    website = ma.fields.String(allow_none=True)


class MemberArgs(PageArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf([kind.value for kind in MemberKind]))
    country = ma.fields.String(validate=ma.validate.Length(equal=2))
    q = ma.fields.String(validate=ma.validate.Length(max=200),
                         metadata={"description": "part of the name"})


MemberCollection = collection_schema(MemberOut, "MemberCollection")


@blp.route("")
@blp.arguments(MemberArgs, location="query")
@blp.response(200, MemberCollection)
def list_members(args):
    """Members, by name, filtered by kind, country or part of the name."""
    query = member_service.members_query(args.get("kind"), args.get("country"), args.get("q"))
    return paginate(query, args["page"], args["per_page"])


@blp.route("/<int:member_id>")
@blp.response(200, MemberOut)
@blp.alt_response(404, description="No such member")
def get_member(member_id):
    """One member."""
    return member_service.get_member(member_id)
