"""Headers every response carries (no inline scripts, no framing, no sniffing), and a
guard against characters no database column can hold."""

from flask import Flask, abort, current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _has_nul(values) -> bool:
    return any("\x00" in value for _key, value in values.items(multi=True))


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # No form or address legitimately carries NUL, and PostgreSQL cannot store it.
        # (The API refuses it per field, with 422.)
        if request.path.startswith("/api/"):
            return
        if _has_nul(request.args) or (request.method != "GET" and _has_nul(request.form)):
            abort(400)

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Behind a proxy, is_secure reflects X-Forwarded-Proto once TRUSTED_PROXIES is set.
        seconds = current_app.config.get("HSTS_SECONDS", 0)
        if request.is_secure and seconds:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}")
        return response
