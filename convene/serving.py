"""What serving behind proxies and load balancers needs: trusted X-Forwarded-* headers,
a request id on every request and log line, and log lines a machine can read."""

import hashlib
import json
import logging
import re
import uuid
from functools import cache
from pathlib import Path

from flask import Flask, g, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from .caching import SignerPerKey

# An id from the proxy is kept only if it cannot smuggle anything into a log line.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_handler(app: Flask) -> logging.Handler:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("[%(asctime)s] %(levelname)s %(name)s [%(request_id)s]: %(message)s")
        )
    return handler


@cache
def _fingerprint(path: Path, modified: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_version(app: Flask, filename: str) -> str | None:
    """A short hash of a static file's content: its URL changes exactly when it does."""
    path = Path(app.static_folder or "") / filename
    if not path.is_file():
        return None
    return _fingerprint(path, path.stat().st_mtime)


class SessionCookies(SignerPerKey):
    """Flask's signed-cookie sessions (their signer kept per key), renewed when signed with
    a fallback key."""

    def open_session(self, app: Flask, request):
        session = super().open_session(app, request)
        if session and app.config.get("SECRET_KEY_FALLBACKS") and not self._current(app, request):
            # Signed with an old key (SECRET_KEY_FALLBACKS): written out again with the current
            # one, so that dropping the old key later signs out nobody active meanwhile.
            session.modified = True
        return session

    def _current(self, app: Flask, request) -> bool:
        """Whether the session cookie is signed with the current secret key."""
        signer = URLSafeTimedSerializer(
            app.secret_key,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        try:
            signer.loads(request.cookies.get(self.get_cookie_name(app), ""))
        except BadSignature:
            return False
        return True


def init_app(app: Flask) -> None:
    # Static files carry ?v=<content hash>, so browsers may keep them for a year and still
    # never see a stale stylesheet after a release.
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600

    @app.url_defaults
    def version_static_files(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

    app.session_interface = SessionCookies()

    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )

    @app.before_request
    def assign_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
