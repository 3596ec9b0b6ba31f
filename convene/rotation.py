"""What the extensions sign with the secret key, kept valid through a key rotation.

Flask checks session cookies against SECRET_KEY_FALLBACKS itself; Flask-WTF's CSRF tokens
and Flask-Login's remember-me cookie know only SECRET_KEY. Without this, rotating the key
would refuse every form open in a browser and sign out everyone kept signed in. Convene's
own signatures (feed addresses, registration links) use services.security.signed.
"""

from flask import current_app, session
from flask_login import LoginManager
from flask_login.utils import decode_cookie, encode_cookie
from flask_wtf import CSRFProtect
from itsdangerous import BadData, URLSafeTimedSerializer

# Flask-WTF's salt for its tokens (flask_wtf/csrf.py).
CSRF_SALT = "wtf-csrf-token"


def _fallback_keys() -> list[str | bytes]:
    return list(current_app.config.get("SECRET_KEY_FALLBACKS") or ())


class RotatingCSRFProtect(CSRFProtect):
    """CSRF protection that also takes a token signed with a fallback key.

    Such a token is signed again with the current key before Flask-WTF checks it, so every
    other check (the session's copy, its age, the referrer over HTTPS) still applies."""

    def _get_csrf_token(self):
        token = super()._get_csrf_token()
        config = current_app.config
        # A separate CSRF key is not rotated with SECRET_KEY: leave it to Flask-WTF alone.
        if not token or not _fallback_keys() or config.get("WTF_CSRF_SECRET_KEY"):
            return token
        max_age = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        current = URLSafeTimedSerializer(current_app.secret_key, salt=CSRF_SALT)
        try:
            current.loads(token, max_age=max_age)
            return token
        except BadData:
            pass
        for key in _fallback_keys():
            try:
                value = URLSafeTimedSerializer(key, salt=CSRF_SALT).loads(token, max_age=max_age)
            except BadData:
                continue
            return current.dumps(value)
        return token


class RotatingLoginManager(LoginManager):
    """Flask-Login, taking a remember-me cookie signed with a fallback key and giving it
    back signed with the current one (so it outlives the fallback)."""

    def _load_user_from_remember_cookie(self, cookie):
        renewed = None
        if decode_cookie(cookie) is None:
            for key in _fallback_keys():
                payload = decode_cookie(cookie, key=key)  # encoded as Flask-Login does
                if payload is not None:
                    renewed = encode_cookie(payload)
                    break
        user = super()._load_user_from_remember_cookie(renewed or cookie)
        if user is not None and renewed:
            session["_remember"] = "set"  # written out again after the request
        return user
