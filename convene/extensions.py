"""Flask extensions, created unbound here and bound to the app in `create_app`."""

import contextvars
import sqlite3

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from .rotation import RotatingCSRFProtect, RotatingLoginManager

# Named constraints let Alembic alter them later, on SQLite (batch mode) as on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Both also accept what was signed with a key in SECRET_KEY_FALLBACKS.
login_manager = RotatingLoginManager()
csrf = RotatingCSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Every limit convene sets is on a POST (sign-in, sign-up, tokens, registrations) and
    there are no default limits: reads skip the limiter's work altogether, which took a
    fifth of a cached feed's answer. tests/test_security_sessions.py checks the premise."""
    return request.method in ("GET", "HEAD", "OPTIONS")


rest_api = Api()


# Set for the length of a request or job that writes: on SQLite its transaction then takes
# the write lock when it begins (BEGIN IMMEDIATE). A transaction that reads first and writes
# later cannot wait for the lock (SQLite answers "database is locked" at once), so writers
# queue up front instead, and concurrent registrations wait their turn.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite checks foreign keys only when asked, per connection; transactions are begun
    by the listener below rather than by the driver."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
