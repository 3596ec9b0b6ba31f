"""Registration pages: register, the e-mailed links, one's own registrations, delegations,
the public list of participants and the inclusion counts."""

from . import mine, public  # noqa: F401  (their routes join the blueprint)
from .views import bp

__all__ = ["bp"]
