"""Readiness: can this process serve? The database always; Redis and the broker when
they are configured. Each check is short, so a load balancer's probe never hangs."""

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db


def _database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _redis(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, ValueError):
        return False


def _broker(celery) -> bool:
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 — kombu raises transport-specific errors
        return False


def readiness() -> dict[str, str]:
    """{part: "ok" | "unreachable"} for every part this process depends on."""
    config = current_app.config
    parts = {"database": _database()}
    for name, url in (("redis", config["REDIS_URL"]), ("cache", config["CACHE_REDIS_URL"])):
        if url and (name == "redis" or url != config["REDIS_URL"]):
            parts[name] = _redis(url)
    celery = current_app.extensions.get("celery")
    if celery is not None:
        parts["broker"] = (
            parts.get("redis", False)
            if config["CELERY_BROKER_URL"] == config["REDIS_URL"]
            else _broker(celery)
        )
    return {name: "ok" if fine else "unreachable" for name, fine in parts.items()}
