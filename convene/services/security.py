"""Secrets and password hashing shared by accounts and API tokens."""

import hashlib
import hmac
import secrets

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same effort as a real check, so timing does not tell who has an account.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(8), method=method)
    return _DUMMY_HASHES[method]


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
