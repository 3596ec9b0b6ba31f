"""/api/v1/me/data: the data convene holds about the token's owner; DELETE /api/v1/me.

What is exported and how an account is deleted is decided in
convene.services.personal_data; the page /me/data offers the same.
"""

from ..extensions import db
from ..services import personal_data
from .common import bearer_user
from .doc import api_error
from .routing import Blueprint
from .schemas.personal_data import DeleteIn, PersonalDataOut

blp = Blueprint(
    "api_personal_data", __name__, url_prefix="/api/v1", description="Your personal data"
)

blp.errors = {
    400: api_error(400, "The body is not valid JSON"),
    409: api_error(
        409,
        "The last administrator's account",
        "The last administrator's account cannot be deleted: name another first.",
    ),
    422: {
        **api_error(422, "Missing or wrong password"),
        "example": {
            "error": {
                "code": "invalid",
                "message": "Your password is not right.",
                "fields": {"password": ["Your password is not right."]},
            }
        },
    },
}


@blp.route("/me/data")
@blp.operation(token=True, answer=PersonalDataOut)
def my_data():
    """Everything convene holds about you, as the page /me/data downloads it.

    No password, token secret or hash; nothing about other people.
    """
    return personal_data.export(bearer_user())


@blp.route("/me", methods=["DELETE"])
@blp.operation(token=True, body=DeleteIn, status=204, errors=(400, 409, 422))
def delete_me(data):
    """Delete your account (the token stops working).

    Upcoming registrations are cancelled and every registration's answers erased;
    commitments, updates, assessments and reviews stay, under "Deleted account".
    """
    user = bearer_user()
    personal_data.delete_account(user, user, data["password"])
    db.session.commit()
