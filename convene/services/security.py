"""Secrets and password hashing shared by accounts and API tokens, and the signatures in
addresses (private feeds, registration links) made with the secret key."""

import base64
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


def signing_keys() -> list[str | bytes]:
    """The secret key, then the old ones (SECRET_KEY_FALLBACKS) that still verify."""
    config = current_app.config
    return [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or ())]


def sign(message: str, key: str | bytes | None = None) -> str:
    """A URL-safe signature of `message`, made with the current secret key unless told."""
    key = current_app.config["SECRET_KEY"] if key is None else key
    raw = key.encode() if isinstance(key, str) else key
    digest = hmac.new(raw, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def signed(message: str, signature: str) -> bool:
    """Whether `signature` was made for `message` with the secret key or a fallback key, so
    that a key rotation does not kill addresses already handed out."""
    given = (signature or "").encode()
    # Every key is tried, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(sign(message, key).encode(), given) for key in signing_keys()]
    return any(matches)
