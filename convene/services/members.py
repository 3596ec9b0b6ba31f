"""Members of the partnership and their focal points."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import policy
from ..extensions import db
from ..models import FocalPoint, Member, MemberKind, TokenPurpose, User
from ..policy import Actor
from ..urls import external_url
from . import Checks, Conflict, InvalidInput, NotFound, audit, choice, mail
from .accounts import create_user, find_user_by_email, mail_link
from .rows import delete_or, flush_or, found
from .validation import check_country, check_slug, check_web_address, slugify

INVITATION_DAYS = 7


def get_member(member_id: int) -> Member:
    """The member; NotFound if there is none."""
    return found(db.session.get(Member, member_id), _l("No such member."))


def get_member_by_slug(slug: str) -> Member:
    """The member of this short name; NotFound if there is none."""
    return found(
        db.session.scalar(select(Member).where(Member.slug == slug)), _l("No such member.")
    )


def find_member(reference: str) -> Member:
    """A member by id, slug or exact name (for the command line)."""
    query = select(Member).where(or_(Member.slug == reference, Member.name == reference))
    if reference.isdigit():
        query = select(Member).where(Member.id == int(reference))
    member = db.session.scalar(query)
    if member is None:
        raise NotFound(str(_l("No member is called %(ref)s.", ref=reference)))
    return member


def members_query(kind: str | None = None, country: str | None = None, q: str | None = None):
    query = select(Member).order_by(Member.name)
    if kind:
        query = query.where(Member.kind == MemberKind(kind))
    if country:
        query = query.where(Member.country == country.upper())
    if q:
        query = query.where(func.lower(Member.name).contains(q.strip().lower(), autoescape=True))
    return query


def members_of(user: User) -> list[Member]:
    """The members this person is a focal point of."""
    return db.session.scalars(
        select(Member).join(FocalPoint).where(FocalPoint.user_id == user.id).order_by(Member.name)
    ).all()


def _name_taken() -> InvalidInput:
    return InvalidInput(
        str(_l("Another member already has this name.")),
        {"name": [str(_l("Another member already has this name or short name."))]},
    )


def _clean(name: str, kind: str, country: str, slug: str | None, member: Member | None):
    name = (name or "").strip()
    checks = Checks()
    if not name:
        checks.add("name", _l("Enter the member's name."))
    checks.run("kind", lambda: choice(MemberKind, kind, "kind", _l("Choose a kind of member.")))
    checks.run("country", lambda: check_country(country))
    checks.run("slug", lambda: check_slug(slug) if slug else slugify(name))
    values = checks.done(_l("Please correct the member's details."))
    kind, country, slug = values["kind"], values["country"], values["slug"]
    others = select(Member).where(or_(func.lower(Member.name) == name.lower(), Member.slug == slug))
    if member is not None and member.id is not None:
        others = others.where(Member.id != member.id)
    if db.session.scalar(others) is not None:
        raise _name_taken()
    return name[:200], kind, country, slug


def _check_website(website: str | None) -> str | None:
    return check_web_address(website, "website", _l("Invalid website."))


def create_member(
    actor: Actor,
    name: str,
    kind: str,
    country: str,
    website: str | None = None,
    slug: str | None = None,
) -> Member:
    """A new member, written at once; InvalidInput for bad or taken details."""
    member = Member()
    _write(actor, member, (name, kind, country, website, slug))
    audit.record(actor, "member.created", "member", member.id, f"created member {member.name}")
    return member


def update_member(
    actor: Actor,
    member: Member,
    name: str,
    kind: str,
    country: str,
    website: str | None = None,
    slug: str | None = None,
) -> Member:
    """Change a member's details, written at once; the caller rolls back after a refusal."""
    before = audit.snapshot(member, ("name", "kind", "country", "website", "slug"))
    _write(actor, member, (name, kind, country, website, slug or member.slug))
    if changed := audit.changes(before, member):
        summary = f"updated {member.name}"
        audit.record(actor, "member.updated", "member", member.id, summary, changed)
    return member


def _write(actor: Actor, member: Member, details: tuple) -> None:
    """Check (name, kind, country, website, slug) and write them to `member` at once."""
    policy.require_administer(actor)
    name, kind, country, website, slug = details
    website = _check_website(website)
    member.name, member.kind, member.country, member.slug = _clean(
        name, kind, country, slug, member
    )
    member.website = website
    db.session.add(member)
    # Written now, so a name taken meanwhile (two administrators at once) is a field error.
    flush_or(_name_taken())


def delete_member(actor: Actor, member: Member) -> None:
    """Delete `member` with its focal-point links and leaderships.

    Conflict while other records (proposals, events …) still refer to it; the caller
    rolls back after a refusal.
    """
    policy.require_administer(actor)
    refusal = Conflict(
        str(
            _l("%(member)s cannot be deleted: other records still refer to it.", member=member.name)
        )
    )
    delete_or(member, refusal)
    audit.record(actor, "member.deleted", "member", member.id, f"deleted member {member.name}")


def add_focal_point(
    actor: Actor, member: Member, email: str, name: str | None = None
) -> FocalPoint:
    """Make the person with `email` a focal point of `member`, inviting them if new.

    A new person gets an account without a password and an e-mail to choose one.
    """
    policy.require_administer(actor)
    user = find_user_by_email(email or "")
    if user is None:
        if not (name or "").strip():
            raise InvalidInput(
                str(
                    _l(
                        "Nobody has an account with this address yet: "
                        "give their name to invite them."
                    )
                ),
                {"name": [str(_l("Give the new person's name."))]},
            )
        user = create_user(email, name)
        mail_link(
            user,
            TokenPurpose.RESET_PASSWORD,
            timedelta(days=INVITATION_DAYS),
            "focal_point_invitation",
            member=member,
            days=INVITATION_DAYS,
        )
    elif any(fp.member_id == member.id for fp in user.focal_points):
        raise Conflict(
            str(
                _l(
                    "%(name)s is already a focal point of %(member)s.",
                    name=user.name,
                    member=member.name,
                )
            ),
            {"email": [str(_l("Already a focal point of this member."))]},
        )
    else:
        mail.send(
            "focal_point_added",
            user,
            member=member,
            url=external_url("home.index"),
        )
    focal_point = FocalPoint(member=member, user=user)
    db.session.add(focal_point)
    db.session.flush()
    summary = f"made person #{user.id} a focal point of {member.name}"
    audit.record(actor, "member.focal_point_added", "member", member.id, summary)
    return focal_point


def remove_focal_point(actor: Actor, member: Member, user_id: int) -> None:
    policy.require_administer(actor)
    focal_point = db.session.scalar(
        select(FocalPoint).where(FocalPoint.member_id == member.id, FocalPoint.user_id == user_id)
    )
    if focal_point is None:
        raise NotFound(str(_l("This person is not a focal point of this member.")))
    summary = f"removed person #{focal_point.user_id} as a focal point of {member.name}"
    db.session.delete(focal_point)
    audit.record(actor, "member.focal_point_removed", "member", member.id, summary)
