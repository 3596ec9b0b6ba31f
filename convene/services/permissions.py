"""Who may do what, asked by every service before it changes anything."""

from ..models import Role, User
from . import PermissionDenied


class _System:
    """The actor for command-line work: the operator at the console may do anything."""

    id = None
    is_admin = True
    is_authenticated = True

    def has_role(self, role: Role) -> bool:
        return True

    def __repr__(self) -> str:
        return "<system>"


SYSTEM = _System()
Actor = User | _System


def require_admin(actor: Actor | None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise PermissionDenied("Only administrators can do this.")


def actor_id(actor: Actor | None) -> int | None:
    return getattr(actor, "id", None)
