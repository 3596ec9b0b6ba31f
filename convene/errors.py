"""Error pages for people and the JSON error format for programs.

Requests under /api/ get `{"error": {"code", "message", "fields"}}`; others get a page.
"""

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, login_manager
from .services import DomainError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


# An error says what was wrong without repeating what was sent: a field named with 5 MB (an
# unknown key) or a message quoting a value would otherwise come back whole.
MAX_FIELDS, MAX_NAME, MAX_MESSAGE = 100, 100, 1000


def _cut(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded(fields: dict) -> dict[str, list[str]]:
    """At most MAX_FIELDS fields, their names and messages cut to a readable length."""
    bounded: dict[str, list[str]] = {}
    for name, messages in list(fields.items())[:MAX_FIELDS]:
        listed = messages if isinstance(messages, list | tuple) else [messages]
        found = bounded.setdefault(_cut(name, MAX_NAME), [])
        found.extend(_cut(message, MAX_MESSAGE) for message in listed[:MAX_FIELDS])
    return bounded


def json_error(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": _cut(message, MAX_MESSAGE),
            "fields": _bounded(fields or {}),
        }
    }
    return jsonify(body), status


def _messages(status: int) -> tuple[str, str]:
    titles = {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        403: (_("Not allowed"), _("You do not have permission to see or do this.")),
        404: (_("Page not found"), _("There is nothing at this address.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        413: (_("Too large"), _("What you sent is larger than convene accepts.")),
        429: (_("Too many attempts"), _("Please wait a little before trying again.")),
        500: (
            _("Something went wrong"),
            _("An error occurred on our side. It has been logged; please try again in a moment."),
        ),
        503: (_("Unavailable"), _("convene is briefly unavailable. Please try again soon.")),
    }
    return titles.get(status, (_("Error"), _("The request could not be completed.")))


def render_error(status: int, message: str | None = None, headers=None):
    if wants_json():
        # Kept as (body, status): make_response on the bare body would answer 200.
        response = json_error(status, message or _messages(status)[1])
    else:
        title, default = _messages(status)
        response = (
            render_template(
                "errors/error.html",
                status=status,
                title=title,
                message=_cut(message or default, MAX_MESSAGE),
            ),
            status,
        )
    if headers:
        response = make_response(response)
        response.headers.extend(headers)
    return response


def _flatten(messages) -> dict[str, list[str]]:
    """webargs' {location: {field: [messages]}} as {field: [messages]}."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            fields.setdefault(prefix or "body", []).extend(value)
        else:
            fields.setdefault(prefix or "body", []).append(str(value))

    for _location, value in (messages or {}).items():
        if isinstance(value, dict):
            walk("", value)
        else:
            walk("body", value)
    return fields


def _api_message(status: int, fields: dict) -> str:
    if status == 400 and fields.get("body") == ["Invalid JSON body."]:
        return _("The request body is not valid JSON.")
    if status == 422 and fields:
        return _("Some fields are missing or not valid: see `fields`.")
    return _messages(status)[1]


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        headers = [(k, v) for k, v in error.get_headers() if k.lower() == "retry-after"]
        status = error.code or 500
        if wants_json():
            # Request parsing (webargs) puts the per-field messages in `data`.
            fields = _flatten((getattr(error, "data", None) or {}).get("messages"))
            response, status = json_error(status, _api_message(status, fields), fields)
            response.headers.extend(headers)
            return response, status
        return render_error(status, headers=headers)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(
            400,
            _(
                "Your form expired or came from another site. Please go back, reload the "
                "page and try again."
            ),
        )

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        db.session.rollback()
        if wants_json():
            return json_error(error.status, error.message, error.fields, error.code)
        return render_error(error.status, error.message)

    @app.errorhandler(DBAPIError)
    def handle_database_down(error: DBAPIError):
        # A lost or refused connection is an outage, not a bug: say "try again soon" (503),
        # and let the next request reconnect (the pool pings connections before use).
        if not (error.connection_invalidated or _is_connection_error(error)):
            return handle_500(InternalServerError(original_exception=error))
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.remove()
        # The page's locale and navigation read the signed-in person, which would need the
        # database again; render it as for a visitor (the session cookie is left alone).
        login_manager._update_request_context_with_user()
        log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        return render_error(503, headers=[("Retry-After", "30")])

    @app.errorhandler(InternalServerError)
    def handle_500(error: InternalServerError):
        db.session.rollback()
        log.error(
            "server error on %s %s", request.method, request.path, exc_info=error.original_exception
        )
        return render_error(500)


def _is_connection_error(error: DBAPIError) -> bool:
    """psycopg reports a server it cannot reach or that went away as OperationalError;
    SQLite's "unable to open database file" is the same kind of outage."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error.orig).lower()
    return any(
        sign in text
        for sign in (
            "connection",
            "server closed",
            "terminating",
            "could not connect",
            "unable to open database",
            "shutting down",
        )
    )
