"""The signed links in e-mails that confirm or cancel a registration without signing in."""

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Registration
from .. import NotFound
from ..security import sign, signed


def manage_token(registration: Registration) -> str:
    """The secret in the links that confirm or cancel a registration without signing in."""
    return sign(_manage_message(registration))


def _manage_message(registration: Registration) -> str:
    return f"registration:{registration.id}:{registration.manage_nonce}"


def registration_by_token(registration_id: int, token: str) -> Registration:
    """The registration a link in an e-mail points at; NotFound for a forged link.

    A link signed with a key now in SECRET_KEY_FALLBACKS still works after a rotation."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not signed(_manage_message(registration), token):
        raise NotFound(str(_l("This link is not valid.")))
    return registration
