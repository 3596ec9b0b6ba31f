"""Small factory functions for tests: each makes one object, committed, with defaults."""

import itertools

from convene.extensions import db
from convene.models import FocalPoint, Member, MemberKind, Role, User, UserRole, utcnow
from convene.services.security import hash_password

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(email=None, name="Test Person", password=PASSWORD, confirmed=True, roles=(),
              **fields) -> User:
    n = next(_counter)
    user = User(
        email=email or f"person{n}@example.org",
        name=name,
        password_hash=hash_password(password) if password else None,
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    user.roles = [UserRole(role=Role(role)) for role in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_member(name=None, kind=MemberKind.NATIONAL_GOVERNMENT, country="FR", **fields) -> Member:
    n = next(_counter)
    member = Member(
        name=name or f"Member {n}", slug=fields.pop("slug", f"member-{n}"), kind=kind,
        country=country, **fields,
    )
    db.session.add(member)
    db.session.commit()
    return member


def make_focal_point(member=None, user=None) -> FocalPoint:
    focal_point = FocalPoint(member=member or make_member(), user=user or make_user())
    db.session.add(focal_point)
    db.session.commit()
    return focal_point
