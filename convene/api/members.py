"""GET /api/v1/members: the partnership's members."""

import marshmallow as ma

from ..caching import cached_page
from ..models import MemberKind
from ..services import members as member_service
from .common import ID, PageArgs, Text, collection_schema, paginate
from .doc import api_error
from .routing import Blueprint

blp = Blueprint("api_members", __name__, url_prefix="/api/v1/members", description="Members")

KINDS = [kind.value for kind in MemberKind]


class MemberOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    slug = ma.fields.String(required=True, metadata={"example": "france"})
    name = ma.fields.String(required=True, metadata={"example": "France"})
    kind = ma.fields.String(required=True, metadata={"enum": KINDS})
    country = ma.fields.String(
        required=True,
        metadata={
            "description": "ISO 3166-1 alpha-2; for civil society, the country it works from",
            "example": "FR",
        },
    )
    website = ma.fields.String(allow_none=True)


class MemberArgs(PageArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    country = Text(
        validate=ma.validate.Length(equal=2),
        metadata={"description": "ISO 3166-1 alpha-2, any case", "example": "FR"},
    )
    q = Text(
        validate=ma.validate.Length(max=200), metadata={"description": "part of the name, any case"}
    )


MemberCollection = collection_schema(MemberOut, "MemberCollection")


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
