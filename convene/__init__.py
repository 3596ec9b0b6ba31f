"""convene: a partnership's thematic events, from proposal to follow-up."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import load_config

from . import (
    caching,
    cli,
    database,
    errors,
    i18n,
    outbox_hooks,
    policy,
    security_headers,
    serving,
    tasks,
)
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .models.base import MAX_ID

ROOT = Path(__file__).resolve().parent.parent


def create_app(env: str | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(env, app.instance_path))
    app.config.update(overrides or {})
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


def configure_logging(app: Flask) -> None:
    """convene's own log at INFO on stderr, unless the host (or the tests) set logging up."""
    logger = logging.getLogger("convene")
    if app.testing or logger.handlers or logging.getLogger().handlers:
        return
    logger.addHandler(serving.log_handler(app))
    logger.setLevel(logging.INFO)
    # Celery gives the root logger a handler too; one line per event is enough.
    logger.propagate = False


def register_extensions(app: Flask) -> None:
    serving.init_app(app)  # first: every later hook, and its refusals, has a request id
    db.init_app(app)
    database.init_app(app)
    caching.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    limiter.init_app(app)
    outbox_hooks.init_app(app)
    policy.init_app(app)
    security_headers.init_app(app)
    tasks.init_app(app)


class BoundedInt(IntegerConverter):
    """Ids in URLs are 32-bit columns: a larger number is simply not found (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
    from . import (
        admin,
        agenda,
        api,
        auth,
        calendars,
        events,
        followup,
        home,
        leaders,
        proposals,
        registration,
    )

    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(proposals.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(registration.bp)
    app.register_blueprint(agenda.bp)
    app.register_blueprint(calendars.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(followup.bp)
    app.register_blueprint(leaders.bp)
    api.init_app(app)
