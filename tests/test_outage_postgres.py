"""A real PostgreSQL outage: a private server, stopped and started again under the app.

The server is this module's own (the shared one on 5432 serves other runs), so the test
runs alike whichever database the rest of the suite uses.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from convene import ROOT, create_app
from convene.extensions import db
from convene.models import OutboxMessage, User
from convene.services import accounts

from . import conftest
from .factories import PASSWORD, make_user
from .smtp import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
UNAVAILABLE = b"briefly unavailable"


class PrivatePostgres:
    """A throwaway cluster run as the `postgres` user (initdb refuses root)."""

    def __init__(self) -> None:
        missing = [
            name for name in ("initdb", "pg_ctl", "postgres") if not (PG_BIN / name).exists()
        ]
        if missing or shutil.which("runuser") is None:
            conftest.unavailable(
                f"needs PostgreSQL 15's server programs in {PG_BIN} (missing: {missing}) "
                "and runuser"
            )
        # mkdtemp, not tmp_path: pytest's directories are root-only all the way down.
        self.root = Path(tempfile.mkdtemp(prefix="convene-pg-"))
        shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        result = subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            pytest.fail(
                f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"
                + (log.read_text() if log.exists() else ""),
                pytrace=False,
            )

    def init(self) -> None:
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -F"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "start", "-w", "-D", str(self.data),
            "-l", str(self.root / "server.log"), "-o", options,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.data))

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.running:
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        migrator = create_app("testing", conftest.test_config(server.url))
        with migrator.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            db.engine.dispose()
        yield server
    finally:
        server.remove()


@pytest.fixture
def outage_app(make_app, postgres):
    """An app on the private server, which is running again once the test is over."""
    yield make_app(SQLALCHEMY_DATABASE_URI=postgres.url)
    if not postgres.running:
        postgres.start()


def sign_up(client, email):
    passphrase = "a long passphrase"
    return client.post(
        "/sign-up",
        data={"name": "Ana Gómez", "email": email, "password": passphrase, "confirm": passphrase},
    )


def users_with(app, email) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.email == email))


def assert_clean_503(response):
    assert response.status_code == 503, response.data[:500]
    assert response.headers["Retry-After"] == "30"
    assert b"Traceback" not in response.data


def test_requests_fail_cleanly_while_postgres_is_down_and_recover_after(outage_app, postgres):
    client = outage_app.test_client()
    assert b"Check your e-mail" in sign_up(client, "before@example.org").data
    assert users_with(outage_app, "before@example.org") == 1
    with outage_app.app_context():
        make_user(email="member@example.org")
    member = outage_app.test_client()
    assert member.post(
        "/sign-in", data={"email": "member@example.org", "password": PASSWORD}
    ).status_code == 302  # fmt: skip
    assert client.get("/readyz").status_code == 200

    postgres.stop()

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["database"] == "unreachable"
    for visitor in (client, member):
        page = visitor.get("/")
        assert_clean_503(page)
        assert UNAVAILABLE in page.data
    refused = sign_up(client, "during@example.org")
    assert_clean_503(refused)
    assert UNAVAILABLE in refused.data
    api = client.post("/api/v1/tokens", json={"email": "before@example.org", "password": "x"})
    assert_clean_503(api)
    assert api.json["error"]["code"] == "unavailable"

    postgres.start()

    # The same app, and the same pool: its stale connections are replaced, not reused.
    assert client.get("/readyz").status_code == 200
    assert member.get("/").status_code == 200
    assert sign_up(client, "during@example.org").status_code == 200
    assert users_with(outage_app, "during@example.org") == 1
    assert users_with(outage_app, "before@example.org") == 1


def test_a_write_cut_off_before_its_commit_leaves_nothing_behind(outage_app, postgres, monkeypatch):
    real_sign_up = accounts.sign_up

    def sign_up_then_lose_the_server(*args, **kwargs):
        real_sign_up(*args, **kwargs)
        db.session.flush()  # the user and its e-mail are in the transaction, not yet committed
        postgres.stop()

    monkeypatch.setattr(accounts, "sign_up", sign_up_then_lose_the_server)
    client = outage_app.test_client()
    assert_clean_503(sign_up(client, "cut@example.org"))

    postgres.start()
    monkeypatch.undo()

    assert users_with(outage_app, "cut@example.org") == 0
    with outage_app.app_context():
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == "cut@example.org")
        ).all()
    assert sign_up(client, "cut@example.org").status_code == 200
    assert users_with(outage_app, "cut@example.org") == 1
