"""convene's configuration, read from the environment.

Every setting has one place here. `load_config(env, instance_path)` returns a plain
dict for `app.config`; nothing else in the code reads `os.environ`.
"""

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable convene."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from error


def _embedded_secret_key(instance_path: Path) -> str:
    """Keep a generated key in the instance folder so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'convene.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(env: str | None, instance_path: str | Path) -> dict:
    env = env or os.environ.get("CONVENE_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"CONVENE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    instance_path = Path(instance_path)
    production = env == "production"

    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. convene refuses to start in production without it: "
                "set SECRET_KEY to a long random string (for example the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
            )
        secret_key = _embedded_secret_key(instance_path)
    # Old keys, newest first, that still verify what they signed (sessions, feed addresses,
    # e-mailed links) after SECRET_KEY changes. A list: Flask would read each character of
    # a string as a key.
    fallbacks = os.environ.get("SECRET_KEY_FALLBACKS", "").split(",")

    mail_server = os.environ.get("MAIL_SERVER", "").strip()
    # One Redis can serve as broker, cache and rate-limit store; each may be set apart.
    redis_url = os.environ.get("REDIS_URL", "").strip()
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SECRET_KEY_FALLBACKS": [key.strip() for key in fallbacks if key.strip()],
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Mail: with no MAIL_SERVER, messages are written to the log and marked sent.
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int("MAIL_PORT", 587 if mail_server else 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", default=bool(mail_server)),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "convene <no-reply@localhost>"
        ),
        # "after_request" delivers each request's messages once its response is sent;
        # "manual" leaves them for `flask --app convene outbox deliver`.
        "OUTBOX_DELIVERY": os.environ.get("OUTBOX_DELIVERY", "after_request"),
        "OUTBOX_MAX_ATTEMPTS": _int("OUTBOX_MAX_ATTEMPTS", 8),
        # Workers: with a broker, Celery delivers e-mail and beat runs the scheduled jobs.
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "").strip() or redis_url,
        # How often pending mail is looked for: by beat with a broker, otherwise by each
        # web process after a response (OUTBOX_DELIVERY=after_request; 0 turns that off).
        "OUTBOX_SWEEP_SECONDS": _int("OUTBOX_SWEEP_SECONDS", 60),
        # The cache (convene/caching: kept pages, feed versions, built feeds): in each
        # process's memory, or shared in Redis.
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", "").strip() or redis_url,
        # Public pages kept for visitors who are not signed in (convene/caching/pages.py):
        # a change shows at once, what changes with the clock within this many seconds.
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 5 if production else 0),
        # With Redis, how often each process asks whether anything changed (milliseconds):
        # another process's change shows within this time, the process's own at once.
        "CACHE_GENERATION_RECHECK_SECONDS": _int("CACHE_GENERATION_RECHECK_MS", 100) / 1000,
        # Serving: how many proxies in front set X-Forwarded-*; JSON or text log lines.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
        "HSTS_SECONDS": _int("HSTS_SECONDS", 31536000),
        # Sessions and cookies.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production and not _flag("INSECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production and not _flag("INSECURE_COOKIES"),
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
        # Uploaded event images; several servers need a shared folder here.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(instance_path / "uploads")),
        # Account tokens.
        "EMAIL_CONFIRMATION_HOURS": _int("EMAIL_CONFIRMATION_HOURS", 72),
        "PASSWORD_RESET_MINUTES": _int("PASSWORD_RESET_MINUTES", 60),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # Registration: hours to confirm an address, days before personal answers are erased.
        "REGISTRATION_CONFIRMATION_HOURS": _int("REGISTRATION_CONFIRMATION_HOURS", 48),
        "ANONYMISE_AFTER_DAYS": _int("ANONYMISE_AFTER_DAYS", 180),
        "FOLLOWUP_REMINDER_DAYS": _int("FOLLOWUP_REMINDER_DAYS", 14),
        # Rate limits (Flask-Limiter); memory by default, Redis when RATELIMIT_STORAGE_URI says.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "").strip()
        or redis_url
        or "memory://",
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_LIMIT": os.environ.get("SIGN_IN_LIMIT", "10 per minute;50 per hour"),
        # Languages (the list is services/content.LANGUAGES) and the OpenAPI document.
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "API_TITLE": "convene",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
