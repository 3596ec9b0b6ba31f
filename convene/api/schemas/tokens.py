"""What /api/v1/tokens and /api/v1/me read and answer."""

import marshmallow as ma

from ...models import Role, User
from .base import ObjectOut
from .fields import Text


class Credentials(ma.Schema):
    email = Text(
        required=True,
        validate=ma.validate.Length(max=254),
        metadata={"example": "ana@example.org", "description": "matched whatever its case"},
    )
    password = Text(
        required=True,
        load_only=True,
        validate=ma.validate.Length(max=200),
        metadata={"example": "correct horse battery"},
    )
    name = Text(
        load_default="API",
        validate=ma.validate.Length(max=100),
        metadata={"description": "to tell your tokens apart", "example": "Reporting"},
    )


class TokenOut(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "to revoke it"})
    token = ma.fields.String(
        required=True,
        metadata={
            "description": "the secret: shown this once, only its hash is kept",
            "example": "cvn_0Hc0Xn8t3Jm1mS0XK6f2xqkQv1hH0b1y9Jm2c3d4e5f",
        },
    )
    name = ma.fields.String(required=True, metadata={"example": "Reporting"})


class Me(ObjectOut):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True, metadata={"description": "IANA, like Europe/Paris"})
    locale = ma.fields.String(allow_none=True, metadata={"description": "en, fr or es"})
    roles = ma.fields.List(
        ma.fields.String(metadata={"enum": [role.value for role in Role]}), required=True
    )
    member_ids = ma.fields.List(
        ma.fields.Integer(),
        required=True,
        metadata={"description": "the members you are a focal point of"},
    )

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)

    def get_member_ids(self, user: User) -> list[int]:
        return sorted(focal_point.member_id for focal_point in user.focal_points)
