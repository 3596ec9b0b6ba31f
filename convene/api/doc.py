"""The API's error format as the OpenAPI document shows it, with examples.

convene/errors.py writes the error bodies; these schemas only describe them.
"""

import marshmallow as ma


class ErrorDetail(ma.Schema):
    code = ma.fields.String(
        required=True,
        metadata={"description": "stable, machine-readable: unauthorized, not_found, invalid …"},
    )
    message = ma.fields.String(required=True, metadata={"description": "for people, translated"})
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        required=True,
        metadata={
            "description": "what is wrong with each field, by field name (dotted when "
            "nested); empty when the error is not about a field"
        },
    )


class ErrorSchema(ma.Schema):
    """The body of every error answer; documented as the `Error` component."""

    error = ma.fields.Nested(ErrorDetail, required=True)


_EXAMPLES = {
    400: ("bad_request", "The request body is not valid JSON.", {"body": ["Invalid JSON body."]}),
    401: ("unauthorized", "A valid bearer token is required: POST /api/v1/tokens.", {}),
    403: ("forbidden", "You do not have permission to see or do this.", {}),
    404: ("not_found", "There is nothing at this address.", {}),
    409: ("conflict", "This proposal cannot be submitted in its current state.", {}),
    415: ("unsupported_media_type", "Send the request body as JSON (application/json).", {}),
    422: (
        "invalid",
        "Some fields are missing or not valid: see `fields`.",
        {"email": ["Missing data for required field."]},
    ),
    429: ("too_many_requests", "Please wait a little before trying again.", {}),
}


def error_example(status: int, message: str | None = None) -> dict:
    code, default, fields = _EXAMPLES[status]
    return {"error": {"code": code, "message": message or default, "fields": fields}}


def api_error(status: int, description: str, message: str | None = None) -> dict:
    """Keywords for `Blueprint.alt_response` documenting an answer in the error format."""
    return {
        "schema": ErrorSchema,
        "description": description,
        "example": error_example(status, message),
    }


def error_response_doc(status: int, description: str) -> dict:
    """An error answer in OpenAPI form, for `Blueprint.doc(responses=…)`."""
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": error_example(status),
            }
        },
    }


# For `token_required` to add to the operations it guards.
UNAUTHORIZED_DOC = error_response_doc(401, "No token, or an unknown or revoked one")


# What these answers mean for most resources; a resource says what its 404 and 409 mean.
USUAL_ERRORS = {
    401: api_error(401, "An Authorization header whose token is unknown or revoked"),
    403: api_error(403, "Not allowed for this person"),
    422: api_error(422, "Invalid fields"),
}
