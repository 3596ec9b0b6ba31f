"""A person's own data: everything convene holds about them as JSON, and deleting their
account while the partnership's records (commitments, reviews, attendance) stay whole."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import policy
from ..extensions import db
from ..models import (
    ApiToken,
    Assessment,
    Commitment,
    EventOrganiser,
    EventStatus,
    FocalPoint,
    MessageStatus,
    OutboxMessage,
    ProgressUpdate,
    Proposal,
    ProposalHost,
    ProposalTransition,
    Registration,
    RegistrationStatus,
    Review,
    Role,
    Speaker,
    Star,
    User,
    UserRole,
    UserToken,
    utcnow,
)
from ..models.registrations import new_nonce
from ..policy import Actor
from . import Conflict, InvalidInput, NotFound
from . import registration as registrations
from .accounts import sign_out_everywhere
from .calendars import revoke_feed_token
from .leaders import personal as leadership_data
from .security import password_matches

FORMAT = "convene-personal-data/1"
DELETED_NAME = "Deleted account"

# Every column that points to a person, and the export section that shows it (None: not
# exported, with the reason). tests/test_personal_data.py compares this with the models,
# so a new column pointing to users fails the build until it is decided here.
USER_LINKS: dict[str, str | None] = {
    "user_roles.user_id": "account",
    "user_roles.granted_by_id": None,  # whom they made admin or reviewer: others' data
    "user_tokens.user_id": "email_links",
    "api_tokens.user_id": "api_tokens",
    "focal_points.user_id": "focal_points",
    "event_organisers.user_id": "organiser_of",
    "registrations.user_id": "registrations",
    "registrations.registered_by_id": "delegations_registered",
    "stars.user_id": "starred_sessions",
    "speakers.user_id": "speaking",
    "proposals.created_by_id": "proposals_created",
    "proposals.cocreation_waived_by_id": "cocreation_waivers",
    "proposal_hosts.responded_by_id": "cohost_responses",
    "proposal_transitions.actor_id": "proposal_changes",
    "reviews.reviewer_id": "reviews",
    "commitments.created_by_id": "commitments_recorded",
    "progress_updates.author_id": "progress_updates",
    "assessments.assessor_id": "assessments",
    # The leadership programme (services/leaders/personal.py). A call is the partnership's,
    # a waiver or a focal point's answer is about others' application, and its history is
    # the application's record: like granted_by_id, not the person's data.
    "leadership_calls.created_by_id": None,
    "leadership_applications.created_by_id": "leadership_applications",
    "leadership_applications.waived_by_id": None,
    "application_people.user_id": "leadership_groups",
    "application_people.responded_by_id": None,
    "application_transitions.actor_id": None,
    "application_reviews.reviewer_id": "leadership_reviews",
    "leadership_people.user_id": "leaderships",
    # The append-only audit log (services/audit.py): administrators' record of who did
    # what, kept as written, the actor's address included, when the account goes.
    "audit_entries.actor_id": None,
}


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _value(value):
    return getattr(value, "value", value)


def _member(member) -> dict | None:
    return {"id": member.id, "name": member.name} if member is not None else None


def _event(event) -> dict:
    return {"id": event.id, "slug": event.slug, "title": event.title}


def _proposal(proposal) -> dict:
    return {"id": proposal.id, "title": proposal.title}


def _commitment(commitment) -> dict:
    return {"id": commitment.id, "title": commitment.title, "member": _member(commitment.member)}


def _session(session) -> dict:
    return {
        "id": session.id,
        "title": session.title,
        "starts_at": _when(session.starts_at),
        "event": _event(session.event),
    }


def _rows(model, column, user: User):
    return db.session.scalars(select(model).where(column == user.id).order_by(model.id)).all()


def _account(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "timezone": user.timezone,
        "locale": user.locale,
        "roles": [
            {"role": role.role.value, "granted_at": _when(role.granted_at)}
            for role in sorted(user.roles, key=lambda role: role.role.value)
        ],
        "created_at": _when(user.created_at),
        "email_confirmed_at": _when(user.email_confirmed_at),
        "last_sign_in_at": _when(user.last_sign_in_at),
        "has_password": user.password_hash is not None,
        "private_calendar_feed": user.calendar_nonce is not None,
    }


def _answers(registration: Registration) -> list[dict]:
    labels = {str(q.id): q.label for q in registration.event.questions}
    return [
        {"question": labels.get(key), "answer": answer}
        for key, answer in (registration.answers or {}).items()
    ]


def _registration(r: Registration) -> dict:
    return {
        "id": r.id,
        "event": _event(r.event),
        "status": r.status.value,
        "waitlist_position": r.waitlist_position,
        "sector": r.sector.value,
        "member": _member(r.member),
        "organisation": r.organisation,
        "accessibility_needs": r.accessibility_needs,
        "answers": _answers(r),
        "show_in_public_list": r.show_in_public_list,
        "inclusion": {
            "consent": r.inclusion_consent,
            "gender": r.gender,
            "age_band": _value(r.age_band),
            "indigenous": r.indigenous,
            "disability": r.disability,
        },
        "registered_by_someone_else": r.registered_by_id not in (None, r.user_id),
        "created_at": _when(r.created_at),
        "confirmed_at": _when(r.confirmed_at),
        "cancelled_at": _when(r.cancelled_at),
        "checked_in_at": _when(r.checked_in_at),
        "attendance_mode": _value(r.attendance_mode),
        "anonymised_at": _when(r.anonymised_at),
    }


def _delegations(user: User) -> list[dict]:
    """How many others they registered, per event: the names are those people's data."""
    counted: dict[int, dict] = {}
    for r in _rows(Registration, Registration.registered_by_id, user):
        if r.user_id != user.id:
            entry = counted.setdefault(r.event_id, {"event": _event(r.event), "people": 0})
            entry["people"] += 1
    return list(counted.values())


def export(user: User) -> dict:
    """Everything convene holds about `user`, JSON-ready and dated; no secret, no hash,
    nothing about anyone else."""
    return {
        "format": FORMAT,
        "exported_at": _when(utcnow()),
        **_account_sections(user),
        **_proposal_sections(user),
        **_followup_sections(user),
        **leadership_data.sections(user),
    }


def _account_sections(user: User) -> dict:
    """Their account, the links e-mailed to them, their API tokens, and what they do at
    events: as focal point, organiser, participant, delegation, speaker."""
    return {
        "account": _account(user),
        "email_links": [
            {
                "purpose": t.purpose.value,
                "created_at": _when(t.created_at),
                "expires_at": _when(t.expires_at),
                "used_at": _when(t.used_at),
            }
            for t in _rows(UserToken, UserToken.user_id, user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in _rows(ApiToken, ApiToken.user_id, user)
        ],
        "focal_points": [
            {"member": _member(fp.member), "since": _when(fp.created_at)}
            for fp in _rows(FocalPoint, FocalPoint.user_id, user)
        ],
        "organiser_of": [
            {"event": _event(o.event), "since": _when(o.created_at)}
            for o in _rows(EventOrganiser, EventOrganiser.user_id, user)
        ],
        "registrations": [_registration(r) for r in registrations.registrations_of_user(user)],
        "delegations_registered": _delegations(user),
        "starred_sessions": [
            {"session": _session(s.session), "starred_at": _when(s.created_at)}
            for s in _rows(Star, Star.user_id, user)
        ],
        "speaking": [
            {
                "session": _session(s.session),
                "name": s.name,
                "affiliation": s.affiliation,
                "sector": _value(s.sector),
                "gender": s.gender,
            }
            for s in _rows(Speaker, Speaker.user_id, user)
        ],
    }


def _proposal_sections(user: User) -> dict:
    """The proposals they made, waived co-creation for, answered as co-host, moved or reviewed."""
    return {
        "proposals_created": [
            {
                **_proposal(p),
                "member": _member(p.member),
                "status": p.status.value,
                "created_at": _when(p.created_at),
            }
            for p in _rows(Proposal, Proposal.created_by_id, user)
        ],
        "cocreation_waivers": [
            {
                "proposal": _proposal(p),
                "reason": p.cocreation_waiver_reason,
                "at": _when(p.cocreation_waived_at),
            }
            for p in _rows(Proposal, Proposal.cocreation_waived_by_id, user)
        ],
        "cohost_responses": [
            {
                "proposal": _proposal(h.proposal),
                "member": _member(h.member),
                "status": h.status.value,
                "at": _when(h.responded_at),
            }
            for h in _rows(ProposalHost, ProposalHost.responded_by_id, user)
        ],
        "proposal_changes": [
            {
                "proposal": _proposal(t.proposal),
                "from": _value(t.from_status),
                "to": t.to_status.value,
                "comment": t.comment,
                "at": _when(t.created_at),
            }
            for t in _rows(ProposalTransition, ProposalTransition.actor_id, user)
        ],
        "reviews": [
            {
                "proposal": _proposal(r.proposal),
                "round": r.round,
                "recommendation": r.recommendation.value,
                "scores": {
                    "relevance": r.relevance,
                    "ambition": r.ambition,
                    "co_creation": r.co_creation,
                    "feasibility": r.feasibility,
                },
                "comment": r.comment,
                "created_at": _when(r.created_at),
                "updated_at": _when(r.updated_at),
            }
            for r in _rows(Review, Review.reviewer_id, user)
        ],
    }


def _followup_sections(user: User) -> dict:
    """The commitments they recorded, the progress they reported and their assessments."""
    return {
        "commitments_recorded": [
            {**_commitment(c), "event": _event(c.event), "created_at": _when(c.created_at)}
            for c in _rows(Commitment, Commitment.created_by_id, user)
        ],
        "progress_updates": [
            {
                "commitment": _commitment(u.commitment),
                "reported_on": _when(u.reported_on),
                "status": u.status.value,
                "narrative": u.narrative,
                "evidence_links": list(u.evidence_links or []),
                "created_at": _when(u.created_at),
            }
            for u in _rows(ProgressUpdate, ProgressUpdate.author_id, user)
        ],
        "assessments": [
            {
                "commitment": _commitment(a.commitment),
                "status": a.status.value,
                "justification": a.justification,
                "created_at": _when(a.created_at),
            }
            for a in _rows(Assessment, Assessment.assessor_id, user)
        ],
    }


# Deleting an account --------------------------------------------------------------------


def deleted_address(user: User) -> str:
    # .invalid never resolves (RFC 2606) and sign-up refuses it, so nobody can take it.
    return f"deleted-{user.id}@invalid"


def is_deleted(user: User) -> bool:
    return user.email == deleted_address(user)


def _check_may_delete(actor: Actor, user: User, password: str | None) -> None:
    if is_deleted(user):
        raise NotFound(str(_l("This account is already deleted.")))
    policy.require_delete_account(actor, user)
    own = policy.actor_id(actor) == user.id
    if own and not password_matches(user.password_hash, password or ""):
        message = str(_l("Your password is not right."))
        raise InvalidInput(message, {"password": [message]})
    if user.is_admin:
        others = db.session.scalar(
            select(func.count())
            .select_from(UserRole)
            .join(User, User.id == UserRole.user_id)
            .where(UserRole.role == Role.ADMIN, User.id != user.id, User.active.is_(True))
        )
        if not others:
            raise Conflict(
                str(_l("The last administrator's account cannot be deleted: name another first."))
            )


def _anonymise_registrations(user: User, now) -> None:
    """Cancel what is still to come (freeing seats for the waiting list), then erase what
    the person told organisers, as privacy.anonymise_ended_events does for old events."""
    for r in registrations.registrations_of_user(user):
        upcoming = r.event.status is EventStatus.PUBLISHED and r.event.ends_at > now
        if upcoming and r.is_active:
            registrations.cancel(r)
        r.answers = {}
        r.accessibility_needs = None
        r.organisation = None
        r.show_in_public_list = False
        r.manage_nonce = new_nonce()  # the links in past e-mails stop working
        r.expires_at = None
        # A confirmed registration still counts in its event's inclusion figures until the
        # event itself is anonymised (which folds it into the kept counts); anything else
        # counts nowhere, so its inclusion data goes now.
        if r.status is not RegistrationStatus.CONFIRMED or r.event.anonymised_at is not None:
            r.gender = r.age_band = r.indigenous = r.disability = None
            r.inclusion_consent = False
            r.anonymised_at = r.anonymised_at or now


def delete_account(actor: Actor, user: User, password: str | None = None) -> None:
    """Delete `user`'s account: by themself with their password, or by an administrator.

    The row in `users` stays, anonymised, rather than being deleted: registrations and
    reviews point to it with ON DELETE CASCADE, so deleting it would lose events'
    attendance and seat counts and proposals' reviews. Instead its name becomes "Deleted
    account", its address deleted-<id>@invalid; password, tokens, feed and sessions are
    cleared and the account deactivated, so nothing of it signs in again. Upcoming
    registrations are cancelled (the waiting list moves up), all are stripped of answers,
    needs and organisation; stars, roles, focal-point and organiser links and tokens are
    deleted; speaker entries are detached (the agenda keeps the name as printed). Commitments
    stay under their member and updates, assessments, reviews and proposal history under
    the anonymised account. Messages to the old address leave the outbox. The caller commits.
    """
    _check_may_delete(actor, user, password)
    now, address = utcnow(), user.email
    _anonymise_registrations(user, now)
    for model, column in (
        (Star, Star.user_id),
        (ApiToken, ApiToken.user_id),
        (UserToken, UserToken.user_id),
        (EventOrganiser, EventOrganiser.user_id),
    ):
        for row in _rows(model, column, user):
            db.session.delete(row)
    for speaker in _rows(Speaker, Speaker.user_id, user):
        speaker.user_id = None
    leadership_data.forget(user, DELETED_NAME)
    user.roles.clear()
    user.focal_points.clear()
    revoke_feed_token(user)
    sign_out_everywhere(user)
    user.name = DELETED_NAME
    user.email = deleted_address(user)
    user.password_hash = None
    user.email_confirmed_at = None
    user.last_sign_in_at = None
    user.locale = None
    user.timezone = "UTC"
    user.active = False
    # A message being sent right now is left to its sender, who would otherwise fail.
    for message in db.session.scalars(
        select(OutboxMessage).where(
            func.lower(OutboxMessage.to_address) == address.lower(),
            OutboxMessage.status != MessageStatus.SENDING,
        )
    ):
        db.session.delete(message)
    db.session.flush()
