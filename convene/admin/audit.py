"""The audit log, read-only: /admin/audit/. Entries are never changed or deleted here."""

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional

from ..extensions import db
from ..forms import QueryForm, choices, strip
from ..models import (
    Commitment,
    Event,
    Leadership,
    LeadershipApplication,
    LeadershipCall,
    Member,
    Proposal,
    Registration,
    User,
)
from ..models.base import MAX_ID
from ..services import audit
from .views import bp

AREAS = {
    "role.": _l("Roles"),
    "account.": _l("Account activation"),
    "member.": _l("Members and focal points"),
    "proposal.": _l("Proposal decisions"),
    "event.": _l("Event settings"),
    "registration.": _l("Registrations moved by organisers"),
    "commitment.": _l("Commitments approved"),
    "assessment.": _l("Assessments"),
    "leadership_call.": _l("Leadership calls"),
    "leadership_application.": _l("Leadership applications"),
    "leadership.": _l("Leaderships"),
}


def _entries_of(kind: str, object_id: int) -> str:
    return url_for("admin.audit_log", object_type=kind, object_id=object_id)


# What each kind of object is called, where it is seen, and how its page is found.
OBJECTS = {
    "user": (_l("Person"), User, lambda user: url_for("admin.person", user_id=user.id)),
    "member": (_l("Member"), Member, lambda member: url_for("admin.member", member_id=member.id)),
    "proposal": (_l("Proposal"), Proposal, lambda p: url_for("proposals.detail", proposal_id=p.id)),
    "event": (_l("Event"), Event, lambda event: url_for("events.manage", slug=event.slug)),
    "registration": (
        _l("Registration"),
        Registration,
        lambda r: url_for("events.participant_list", slug=r.event.slug),
    ),
    "commitment": (
        _l("Commitment"),
        Commitment,
        lambda c: url_for("followup.detail", commitment_id=c.id),
    ),
    # The leadership programme's pages come later: until then its objects link to their
    # own entries in this log.
    "leadership_call": (
        _l("Leadership call"),
        LeadershipCall,
        lambda c: _entries_of("leadership_call", c.id),
    ),
    "leadership_application": (
        _l("Leadership application"),
        LeadershipApplication,
        lambda a: _entries_of("leadership_application", a.id),
    ),
    "leadership": (
        _l("Leadership"),
        Leadership,
        lambda leadership: _entries_of("leadership", leadership.id),
    ),
}


class AuditFilterForm(QueryForm):
    action = SelectField(_l("What"), validators=[Optional()])
    object_type = SelectField(_l("Kind of object"), validators=[Optional()])
    object_id = IntegerField(_l("Object number"), validators=[Optional(), NumberRange(1, MAX_ID)])
    actor = SearchField(
        _l("Who (e-mail address contains)"),
        validators=[Optional(), Length(max=254)],
        filters=[strip],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = choices([("", _l("Anything")), *AREAS.items()])
        self.object_type.choices = choices(
            [("", _l("Any kind"))] + [(kind, label) for kind, (label, *_) in OBJECTS.items()]
        )


def links(entries) -> dict[tuple[str, int], str]:
    """The page of each entry's object that still exists, in one query per kind."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in OBJECTS:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found = {}
    for kind, ids in wanted.items():
        _label, model, url = OBJECTS[kind]
        for obj in db.session.scalars(select(model).where(model.id.in_(ids))):
            found[(kind, obj.id)] = url(obj)
    return found


@bp.route("/audit/")
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    entries = audit.entries(audit.AuditFilters(**form.values()), page)
    return render_template(
        "admin/audit.html",
        form=form,
        page=entries,
        links=links(entries.items),
        kinds={kind: label for kind, (label, *_) in OBJECTS.items()},
    )
