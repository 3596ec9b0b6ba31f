"""Fixtures: one migrated database per run (SQLite, or PostgreSQL when
CONVENE_TEST_DATABASE_URL is set), emptied after every test."""

import contextvars
import os
import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from convene import ROOT, create_app
from convene.extensions import db, limiter
from convene.services.themes import seed_default_themes

from . import factories

TEST_DATABASE_URL = os.environ.get("CONVENE_TEST_DATABASE_URL", "").strip()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context and database session.

    Without this, a request reuses the test's app context and so its session, and a view
    that forgot to commit would still look right to the test.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # closes the response, as a server would
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            # End the test's own transaction: on SQLite (WAL) it would keep reading the
            # database as it was before the request.
            db.session.commit()
        return response


def _private_postgres_database(url: str):
    """A new database beside the one named in `url`, so parallel runs never collide.

    Falls back to emptying the named database when the role may not create databases.
    Yields the URL to use and drops the private database afterwards.
    """
    base = make_url(url)
    name = f"{base.database}_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except ProgrammingError:
        with admin.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        admin.dispose()
        yield url
        return
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Tests of outside programs (Redis, PostgreSQL's server programs, Chromium) are skipped,
# and say why, on a machine without them; CI sets this so that a missing one fails instead.
REQUIRE_SERVICES = os.environ.get("CONVENE_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (CONVENE_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def require_redis(url: str = "redis://127.0.0.1:6379/0") -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        unavailable("needs Redis on 127.0.0.1:6379")


def test_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SECRET_KEY_FALLBACKS": [],
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_SERVER": "",
        "BASE_URL": "http://convene.test",
        "SERVER_NAME": None,
        # Tests that want Redis or a broker say so; a developer's environment doesn't.
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "CACHE_REDIS_URL": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        # The web process's outbox sweep would send mail at moments no test chose; the tests
        # of the sweep turn it on.
        "OUTBOX_SWEEP_SECONDS": 0,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DATABASE_URL:
        yield from _private_postgres_database(TEST_DATABASE_URL)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'convene-test.sqlite'}"


@pytest.fixture(scope="session")
def base_app(database_url):
    app = create_app("testing", test_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(base_app):
    """The app, with an app context for the test's own service calls and factories."""
    with base_app.app_context():
        yield base_app
        db.session.rollback()
        _empty_database()


def _empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        # Break self-references (a theme's parent) first: SQLite checks them row by row.
        for fk in table.foreign_keys:
            if fk.column.table is table:
                db.session.execute(table.update().values({fk.parent.name: None}))
        db.session.execute(table.delete())
    seed_default_themes()
    db.session.commit()


@pytest.fixture
def make_app(app, database_url):
    """Another app on the same database with some settings changed (mail, rate limits…).

    Depends on `app` so the database is emptied after the test all the same.
    """
    apps = []

    def make(**overrides):
        new_app = create_app("testing", test_config(database_url, **overrides))
        new_app.test_client_class = IsolatedClient
        apps.append(new_app)
        return new_app

    yield make
    for other in apps:
        with other.app_context():
            db.engine.dispose()
    # Flask-Limiter keeps its switch and counters on the one global limiter.
    if any(other.config["RATELIMIT_ENABLED"] for other in apps):
        limiter.reset()
    limiter.enabled = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def server(make_app):
    """The app served over HTTP on 127.0.0.1 by a threaded server, one thread a request:
    for what only real concurrent requests show (locks, races)."""
    import threading

    from werkzeug.serving import make_server

    app = make_app()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()
    # Wait for every request's thread: each delivers its e-mail after its answer, and one
    # still at work would write into the next test's emptied database.
    httpd.server_close()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def sign_in(self, email, password=factories.PASSWORD, follow=False):
        return self.client.post(
            "/sign-in", data={"email": email, "password": password}, follow_redirects=follow
        )

    def sign_out(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def user(app):
    return factories.make_user()


@pytest.fixture
def admin(app):
    return factories.make_user(email="admin@example.org", name="Ada Admin", roles=["admin"])


@pytest.fixture
def signed_in(client, auth, user):
    """A client signed in as an ordinary confirmed person."""
    auth.sign_in(user.email)
    return client


@pytest.fixture
def admin_client(client, auth, admin):
    auth.sign_in(admin.email)
    return client


def outbox_to(address: str):
    """Messages queued for `address`, oldest first."""
    from sqlalchemy import select

    from convene.models import OutboxMessage

    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    ).all()


def link_in(message) -> str:
    """The first link to this site in a message, as a path."""
    match = re.search(r"http://convene\.test(/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1, stopped after the test."""
    from .smtp import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()
