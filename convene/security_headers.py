"""Headers every response carries (no inline scripts, no framing, no sniffing), and a
guard against characters no database column can hold."""

from flask import Flask, abort, current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


EVERY_RESPONSE = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
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
        headers = response.headers
        for name, value in EVERY_RESPONSE:
            if name not in headers:
                headers.add(name, value)
        # Behind a proxy, is_secure reflects X-Forwarded-Proto once TRUSTED_PROXIES is set.
        seconds = current_app.config.get("HSTS_SECONDS", 0)
        if seconds and request.is_secure:
            headers.setdefault("Strict-Transport-Security", f"max-age={seconds}")
        return response
