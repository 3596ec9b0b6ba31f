"""What /api/v1/members reads and answers."""

import marshmallow as ma

from ...models import MemberKind
from .base import PageArgs, collection_schema
from .fields import Text

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
