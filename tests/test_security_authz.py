"""Who may do what, for every URL rule of the app: one table, one decision per role.

RULES maps every (endpoint, method) of `app.url_map` (pages, feeds and the API) to what
each of eight roles gets. A new endpoint without a row fails
`test_every_rule_has_a_decision`, so nothing ships before someone decides who may use it.
`test_every_rule_for` then makes every request as every role (pages through the real
sign-in, the API's operations, read from its OpenAPI document, with bearer tokens) in a
world built with the factories and services, and compares. The IDOR tests at the end put
ids from elsewhere (another event, someone else's registration) in URLs.

Outcomes: "ok" (done or shown: 2xx, a redirect that is not to sign-in, or 400/409/422 —
the person was let in and their input or the object's state was refused), "sign-in"
(sent to sign in), "refused" (sent back with an error message: how the proposal pages
refuse an action on a proposal the person can see), or the refusal's status (401, 403,
404). A cell may also be "ok|403" where the answer depends on the data, not the person;
none needs it today. Forms and bodies are filled well enough (FORMS, API_BODIES) for the
permission to be what decides, not a missing field.
"""

import io
import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import CallStatus, Leadership, MemberKind, Star, Theme, TokenPurpose, utcnow
from convene.services import accounts, agenda, events, followup, proposals
from convene.services import calendars as feeds
from convene.services import registration as reg
from convene.services.agenda import SessionInput
from convene.services.followup import CommitmentInput

from .factories import (
    PASSWORD,
    make_event,
    make_focal_point,
    make_member,
    make_theme_leader,
    make_user,
    proposal_input,
    registration_input,
    theme_ids,
)
from .leaders_data import make_call

ROLES = [
    "anonymous",
    "participant",
    "owner_focal_point",
    "other_focal_point",
    "thematic_leader_fp",
    "reviewer",
    "assessor",
    "admin",
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
ALLOWED_STATUSES = {400, 409, 422}  # the person was let in; the input or the state was refused


# The world every request is made in ---------------------------------------------------


def build_world() -> SimpleNamespace:  # noqa: PLR0915 (a long list of objects, one each)
    """Members, people, events (published, another member's, one to cancel, a draft),
    sessions, registrations, commitments, proposals in several states, and tokens.

    The owner member hosts event A and proposes the proposals; its focal point organises A
    (as an accepted proposal makes it). Objects that an allowed request destroys (a session
    deleted, a registration cancelled, a member deleted) each have their own copy, so the
    order of the requests does not change the decisions.
    """
    w = SimpleNamespace()
    w.owner = make_member(name="Government of Testland", slug="gov-testland")
    w.cohost = make_member(name="Civic Lab", slug="civic-lab", kind=MemberKind.CIVIL_SOCIETY)
    w.other = make_member(name="Government of Elsewhere", slug="elsewhere", country="KE")
    w.leader_member = make_member(
        name="Leader Org", slug="leader-org", kind=MemberKind.CIVIL_SOCIETY
    )
    make_theme_leader("open-justice", w.leader_member)
    w.people = {
        "participant": make_user(name="Paz Participant"),
        "owner_focal_point": make_focal_point(w.owner, make_user(name="Olga Owner")).user,
        "other_focal_point": make_focal_point(w.other, make_user(name="Otto Other")).user,
        "thematic_leader_fp": make_focal_point(w.leader_member, make_user(name="Lea Lead")).user,
        "reviewer": make_user(name="Rey Reviewer", roles=["reviewer"]),
        "assessor": make_user(name="Asa Assessor", roles=["assessor"]),
        "admin": make_user(name="Ada Admin", roles=["admin"]),
    }
    owner_fp = w.people["owner_focal_point"]
    participant = w.people["participant"]
    w.owner_fp2 = make_focal_point(w.owner, make_user(name="Omar Owner")).user
    w.cohost_fp = make_focal_point(w.cohost, make_user(name="Cora Cohost")).user
    w.victim = make_user(name="Vic Victim")
    w.token_maker = make_user(name="Tom Token")
    w.stranger = make_user(name="Sam Stranger")
    w.co_organiser = make_user(name="Cole Coorganiser")
    w.other_organiser = make_user(name="Bea Borganiser")
    # Spare members and a theme for the administrators' removals and deletions.
    w.spare_fp_member = make_member(name="Spare One", slug="spare-one")
    w.spare_fp = make_focal_point(w.spare_fp_member, make_user(name="Fern Spare")).user
    w.spare_member = make_member(name="Spare Two", slug="spare-two")
    w.spare_leader = make_member(name="Spare Three", slug="spare-three")
    w.youth = make_theme_leader("youth", w.spare_leader)
    w.spare_theme = Theme(slug="spare-theme", name_en="Spare", name_fr="Spare", name_es="Spare")
    db.session.add(w.spare_theme)
    db.session.commit()

    # Events: A (ours, published), B (another member's), C (ours, to cancel), D (our draft).
    def event(title, organisers, hosts, **fields):
        made = make_event(title=title, organisers=organisers, **fields)
        made.hosts = hosts
        made.themes = [db.session.get(Theme, i) for i in theme_ids("open-justice")]
        db.session.commit()
        return made

    w.a = event("Event A", [owner_fp, w.co_organiser], [w.owner, w.cohost], slug="event-a")
    w.a.show_participants = True
    w.b = event("Event B", [w.other_organiser], [w.other], slug="event-b")
    w.c = event("Event C", [owner_fp], [w.owner], slug="event-c")
    w.d = event("Event D", [owner_fp], [w.owner], slug="event-d", status="draft")
    w.past = event("Event P", [owner_fp], [w.owner], slug="event-p", days=-10)
    db.session.commit()
    events.store_event_image(owner_fp, w.a, PNG)
    db.session.commit()

    def session(ev, title, organiser):
        start = ev.starts_at.replace(tzinfo=None)
        made = agenda.create_session(
            organiser,
            ev,
            SessionInput(
                title=title,
                starts_at=start + timedelta(hours=1),
                ends_at=start + timedelta(hours=2),
                languages=["en"],
            ),
        )
        db.session.commit()
        return made

    w.s1 = session(w.a, "Opening", owner_fp)
    w.s_cancel = session(w.a, "To cancel", owner_fp)
    w.s_delete = session(w.a, "To delete", owner_fp)
    w.s_delete_api = session(w.a, "To delete through the API", owner_fp)
    w.s_b = session(w.b, "Other event's session", w.other_organiser)
    w.s_d = session(w.d, "Draft event's session", owner_fp)

    def register(ev, person=None, **changes):
        made, _new = reg.register(ev, registration_input(**changes), actor=person)
        db.session.commit()
        return made

    w.r_a = register(w.a, participant)  # the participant's own
    w.r_cancel = register(w.b, participant)  # the participant cancels this one
    w.r_stranger = register(w.a, w.stranger)  # someone else's, at our event
    w.r_b = register(w.b, w.stranger)  # someone else's, at another event
    w.r_pending = register(w.a)  # a stranger without an account: awaits e-mail confirmation
    w.r_link = register(w.a, make_user(name="Lin Link"))  # cancelled from the e-mailed link
    w.token_pending = reg.manage_token(w.r_pending)
    w.token_link = reg.manage_token(w.r_link)
    w.token_b = reg.manage_token(w.r_b)

    # Commitments of the owner member: one approved, one awaiting approval; one of B.
    def commitment(by, ev, member, title):
        made = followup.create_commitment(
            by,
            ev,
            CommitmentInput(
                member_id=member.id, title=title, due_date=ev.starts_at.date() + timedelta(90)
            ),
        )
        db.session.commit()
        return made

    w.approved = commitment(owner_fp, w.a, w.owner, "Open courts")
    w.pending = commitment(w.owner_fp2, w.a, w.owner, "Train judges")
    w.commitment_b = commitment(w.other_organiser, w.b, w.other, "Elsewhere's commitment")

    # Proposals by the owner member, co-hosted by the civil-society member.
    def proposal(status="draft", by=owner_fp, member=w.owner, cohosts=(w.cohost,)):
        made = proposals.create_proposal(
            by, member.id, proposal_input(cohost_ids=[m.id for m in cohosts])
        )
        db.session.flush()
        if w.cohost in cohosts:
            proposals.respond_to_invitation(w.cohost_fp, made, w.cohost.id, True)
        if status == "submitted":
            proposals.submit(by, made)
        db.session.commit()
        return made

    w.p_draft = proposal()
    w.p_edit = proposal()
    w.p_submitted = proposal("submitted")
    w.p_decide = proposal("submitted")
    w.p_withdraw = proposal("submitted")
    # Another member's draft inviting ours to co-host: our focal point answers.
    w.p_invite = proposal(by=w.people["other_focal_point"], member=w.other, cohosts=(w.owner,))
    w.p_other_draft = proposal(by=w.people["other_focal_point"], member=w.other, cohosts=())

    # A token of someone else's, who stays (the administrators delete the victim).
    w.victim_token, _secret = accounts.create_api_token(w.stranger, "someone else's")
    w.feed_token = feeds.regenerate_feed_token(participant)
    w.unconfirmed = make_user(name="Una Unconfirmed", confirmed=False)
    w.confirm_token = accounts._issue_token(
        w.unconfirmed, TokenPurpose.CONFIRM_EMAIL, timedelta(hours=1)
    )
    w.reset_token = accounts._issue_token(
        make_user(name="Rosa Reset"), TokenPurpose.RESET_PASSWORD, timedelta(hours=1)
    )
    # The leadership programme's public pages: a leadership, an open call and a draft one.
    w.leadership = Leadership(
        slug="justice-leaders", name="Justice leaders", theme_id=theme_ids("open-justice")[0]
    )
    db.session.add(w.leadership)
    w.call = make_call()
    w.draft_call = make_call(status=CallStatus.DRAFT)
    db.session.commit()
    return w


# How every URL rule is filled ---------------------------------------------------------

# The URL variables, by name, from the world; OVERRIDES changes them for one endpoint.
DEFAULTS = {
    "slug": lambda w: w.a.slug,
    "event_id": lambda w: w.a.id,
    "session_id": lambda w: w.s1.id,
    "registration_id": lambda w: w.r_a.id,
    "commitment_id": lambda w: w.approved.id,
    "proposal_id": lambda w: w.p_submitted.id,
    "member_id": lambda w: w.owner.id,
    "theme_id": lambda w: w.youth.id,
    "user_id": lambda w: w.victim.id,
    "token_id": lambda w: w.victim_token.id,
    "call_id": lambda w: w.call.id,
}

THEME = {"slug": "open-justice"}
OVERRIDES = {
    "home.theme": lambda w: THEME,
    "leaders.leadership": lambda w: {"slug": w.leadership.slug},
    "calendars.theme": lambda w: THEME,
    "followup.theme": lambda w: THEME,
    "followup.theme_csv": lambda w: THEME,
    "followup.member": lambda w: {"slug": w.owner.slug},
    "followup.member_csv": lambda w: {"slug": w.owner.slug},
    "auth.confirm_email": lambda w: {"token": w.confirm_token},
    "auth.reset_password": lambda w: {"token": w.reset_token},
    "calendars.personal": lambda w: {"token": w.feed_token},
    "registration.confirm": lambda w: {"registration_id": w.r_pending.id, "token": w.token_pending},
    "registration.cancel_by_link": lambda w: {
        "registration_id": w.r_link.id,
        "token": w.token_link,
    },
    "registration.cancel_mine": lambda w: {"registration_id": w.r_cancel.id},
    "events.participant_action": lambda w: {
        "registration_id": w.r_stranger.id,
        "action": "check-in",
    },
    "events.publish": lambda w: {"slug": w.d.slug},
    "events.cancel": lambda w: {"slug": w.c.slug},
    "events.complete": lambda w: {"slug": w.past.slug},
    "events.remove_organiser": lambda w: {"user_id": w.co_organiser.id},
    "agenda.cancel_session": lambda w: {"session_id": w.s_cancel.id},
    "agenda.delete_session": lambda w: {"session_id": w.s_delete.id},
    "followup.approve": lambda w: {"commitment_id": w.pending.id},
    "proposals.edit": lambda w: {"proposal_id": w.p_edit.id},
    "proposals.submit": lambda w: {"proposal_id": w.p_draft.id},
    "proposals.waive": lambda w: {"proposal_id": w.p_draft.id},
    "proposals.decide": lambda w: {"proposal_id": w.p_decide.id},
    "proposals.withdraw": lambda w: {"proposal_id": w.p_withdraw.id},
    "proposals.answer_invitation": lambda w: {"proposal_id": w.p_invite.id},
    "admin.delete_member": lambda w: {"member_id": w.spare_member.id},
    "admin.remove_focal_point": lambda w: {
        "member_id": w.spare_fp_member.id,
        "user_id": w.spare_fp.id,
    },
    "admin.delete_theme": lambda w: {"theme_id": w.spare_theme.id},
    "admin.remove_leader": lambda w: {"theme_id": w.youth.id, "member_id": w.spare_leader.id},
    "admin.change_active": lambda w: {"action": "deactivate"},
    "admin.change_role": lambda w: {"role": "reviewer", "action": "grant"},
    # The API
    "api_events.publish_event": lambda w: {"event_id": w.d.id},
    "api_events.cancel_event": lambda w: {"event_id": w.c.id},
    "api_sessions.delete_session": lambda w: {"session_id": w.s_delete_api.id},
    "api_registrations.cancel_registration": lambda w: {"registration_id": w.r_cancel.id},
    "api_followup.approve": lambda w: {"commitment_id": w.pending.id},
    "api_proposals.update_proposal": lambda w: {"proposal_id": w.p_edit.id},
    "api_proposals.submit_proposal": lambda w: {"proposal_id": w.p_draft.id},
    "api_proposals.decide": lambda w: {"proposal_id": w.p_decide.id},
    "api_proposals.withdraw_proposal": lambda w: {"proposal_id": w.p_withdraw.id},
    "api_proposals.answer_invitation": lambda w: {"proposal_id": w.p_invite.id},
}


def _future(hour: int) -> str:
    day = (utcnow() + timedelta(days=60)).date()
    return datetime(day.year, day.month, day.day, hour).isoformat()


def _own_member(person) -> str:
    """The first member `person` speaks for, as a form sends it ("0": none)."""
    return str(person.focal_points[0].member_id) if person and person.focal_points else "0"


# Forms filled well enough to get past their own checks, so that the permission decides;
# each takes the world and the person. Any other POST is sent empty.
FORMS = {
    ("proposals.review", "POST"): lambda w, p: {
        "recommendation": "accept",
        **dict.fromkeys(("relevance", "ambition", "co_creation", "feasibility"), "4"),
    },
    ("proposals.decide", "POST"): lambda w, p: {"decision": "decline", "comment": "Not now."},
    ("proposals.withdraw", "POST"): lambda w, p: {"comment": "Withdrawn in a test."},
    ("proposals.answer_invitation", "POST"): lambda w, p: {
        "member_id": str(w.owner.id),
        "answer": "accept",
    },
    ("proposals.waive", "POST"): lambda w, p: {"reason": "A test waiver."},
    ("proposals.new", "POST"): lambda w, p: {"member_id": _own_member(p), "title": "New"},
    ("proposals.edit", "POST"): lambda w, p: {"title": "Renamed in a test"},
    ("events.cancel", "POST"): lambda w, p: {"message": "Cancelled in a test."},
    ("events.participant_action", "POST"): lambda w, p: {"mode": "in_person"},
    ("registration.delegation", "POST"): lambda w, p: {
        "member_id": _own_member(p),
        "sector": "government",
        "people": "Dana Delegate <dana@example.org>",
    },
    ("followup.report", "POST"): lambda w, p: {"status": "limited", "narrative": "Some."},
    ("followup.assess", "POST"): lambda w, p: {
        "assess-status": "limited",
        "assess-justification": "Two courts of ten.",
    },
    ("auth.set_language", "POST"): lambda w, p: {"locale": "en"},
}

API_BODIES = {
    ("api_events.create_event", "POST"): lambda w, p: {
        "title": "Created in a test",
        "starts_at": _future(9),
        "ends_at": _future(17),
        "timezone": "Europe/Paris",
        "format": "online",
        "hosts": [w.owner.id],
    },
    ("api_events.update_event", "PATCH"): lambda w, p: {"title": "Event A, renamed"},
    ("api_events.cancel_event", "POST"): lambda w, p: {"message": "Cancelled in a test."},
    ("api_registrations.register", "POST"): lambda w, p: (
        {"sector": "civil_society"}
        if p
        else {"name": "Anna Nonymous", "email": "anna@example.org", "sector": "civil_society"}
    ),
    ("api_sessions.create_session", "POST"): lambda w, p: {
        "title": "Added in a test",
        "kind": "panel",
        "starts_at": (w.a.starts_at + timedelta(hours=3)).replace(tzinfo=None).isoformat(),
        "ends_at": (w.a.starts_at + timedelta(hours=4)).replace(tzinfo=None).isoformat(),
    },
    ("api_sessions.update_session", "PATCH"): lambda w, p: {"title": "Opening, renamed"},
    ("api_followup.create_commitment", "POST"): lambda w, p: {
        "member_id": w.owner.id,
        "title": "Publish rulings",
        "due_date": (w.a.starts_at.date() + timedelta(days=120)).isoformat(),
    },
    ("api_followup.post_update", "POST"): lambda w, p: {"status": "limited"},
    ("api_followup.assess", "POST"): lambda w, p: {
        "status": "limited",
        "justification": "Two courts of ten.",
    },
    ("api_proposals.create_proposal", "POST"): lambda w, p: {
        "member_id": int(_own_member(p)) or w.owner.id,
        "title": "Proposed in a test",
    },
    ("api_proposals.update_proposal", "PATCH"): lambda w, p: {"summary": "Changed in a test."},
    ("api_proposals.submit_proposal", "POST"): lambda w, p: {"comment": "Ready"},
    ("api_proposals.withdraw_proposal", "POST"): lambda w, p: {"comment": "No longer"},
    ("api_proposals.answer_invitation", "POST"): lambda w, p: {
        "member_id": w.owner.id,
        "answer": "accept",
    },
    ("api_proposals.save_review", "POST"): lambda w, p: {
        "recommendation": "accept",
        **dict.fromkeys(("relevance", "ambition", "co_creation", "feasibility"), 4),
    },
    ("api_proposals.decide", "POST"): lambda w, p: {"decision": "decline", "comment": "Not now."},
    ("api_tokens.create_token", "POST"): lambda w, p: {
        "email": w.token_maker.email,
        "password": PASSWORD,
    },
}

# Requests that end the signed-in session run last, each after signing in again.
SESSION_ENDING = [("auth.sign_out", "POST"), ("auth.sign_out_everywhere", "POST")]


def is_api(endpoint: str) -> bool:
    return endpoint.startswith("api")


def url_rules(app):
    """(endpoint, method) for every rule of the app, static files aside."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method


def build_url(app, world, endpoint: str, method: str) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    values = {name: DEFAULTS[name](world) for name in rule.arguments if name in DEFAULTS}
    values.update(OVERRIDES.get(endpoint, lambda w: {})(world))
    missing = rule.arguments - set(values)
    assert not missing, f"{endpoint}: no value for {missing}"
    return app.url_map.bind("localhost").build(endpoint, values, method=method)


def requests_for(app, world, person, api: bool) -> list[tuple[str, str, str, dict | None]]:
    """(endpoint, method, url, body) for every page rule, or every API rule: reads first,
    then writes, then deletions, then what ends the session. All are built before any is
    sent, as a request may delete what a later URL names."""
    found = sorted(
        (key for key in url_rules(app) if is_api(key[0]) == api),
        key=lambda key: (key in SESSION_ENDING, key[1] != "GET", key[1] == "DELETE", key),
    )
    bodies = API_BODIES if api else FORMS
    made = []
    for endpoint, method in found:
        body = bodies.get((endpoint, method))
        data = body(world, person) if body else (None if method == "GET" else {})
        made.append((endpoint, method, build_url(app, world, endpoint, method), data))
    return made


def flashed_error(client) -> bool:
    """Whether the last response flashed an error (and forget what it flashed)."""
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return any(category == "error" for category, _message in flashes)


def outcome(response, flashed_error: bool = False) -> str | int:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers["Location"])
        if target.path == "/sign-in" and "next=" in target.query:
            return "sign-in"  # not the redirect after signing out, which has no `next`
        return "refused" if flashed_error else "ok"
    if status < 300 or status in ALLOWED_STATUSES:
        return "ok"
    return status


def sign_in(client, person) -> None:
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def bearer(person) -> dict:
    _token, secret = accounts.create_api_token(person, "authz")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def matches(expected, seen) -> bool:
    if isinstance(expected, str) and "|" in expected:
        return str(seen) in expected.split("|")
    return expected == seen


# The decisions ------------------------------------------------------------------------


def row(*cells) -> dict:
    """One cell per role, in the order of ROLES."""
    assert len(cells) == len(ROLES)
    return dict(zip(ROLES, cells, strict=True))


def api(cells: dict) -> dict:
    """The API's answer for the same decision: 401 for sign-in, 403 for a flashed refusal."""
    return {role: {"sign-in": 401, "refused": 403}.get(c, c) for role, c in cells.items()}


PUBLIC = row("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok")
SIGNED_IN = row("sign-in", "ok", "ok", "ok", "ok", "ok", "ok", "ok")
ADMINS = row("sign-in", 403, 403, 403, 403, 403, 403, "ok")
# Event A's organisers: the owner member's focal point (as an accepted proposal makes
# them) and administrators.
ORGANISERS = row("sign-in", 403, "ok", 403, 403, 403, 403, "ok")
# The same, for something only organisers can see at all (a draft event, a commitment
# awaiting approval): 404 rather than 403, so ids reveal nothing.
ORGANISERS_HIDDEN = row("sign-in", 404, "ok", 404, 404, 404, 404, "ok")
OWNER_FOCAL_POINTS = row("sign-in", 403, "ok", 403, 403, 403, 403, 403)
ASSESSORS = row("sign-in", 403, 403, 403, 403, 403, "ok", 403)
FOCAL_POINTS = row("sign-in", 403, "ok", "ok", "ok", 403, 403, 403)
REVIEWERS_AND_LEADERS = row("sign-in", 403, 403, 403, "ok", "ok", 403, "ok")
# The participant's own registration: 404 for anyone else, organisers included.
THE_PERSON = row("sign-in", "ok", 404, 404, 404, 404, 404, 404)
# Someone else's token (the victim's): nobody's to revoke, administrators included.
NOBODY = row("sign-in", 404, 404, 404, 404, 404, 404, 404)

# Proposals by the owner member. Drafts are seen by their hosts and administrators;
# once submitted, by reviewers and the thematic leaders of their themes too. Actions the
# person may not take on a proposal they can see are refused with a message on its page.
PROPOSAL_SUBMITTED = row("sign-in", 404, "ok", 404, "ok", "ok", 404, "ok")
PROPOSAL_DRAFT_EDIT = row("sign-in", 404, "ok", 404, 404, 404, 404, "refused")
# A focal point proposes for their own member; others are told they cannot.
PROPOSE = row("sign-in", "refused", "ok", "ok", "ok", "refused", "refused", "refused")
# Reviewers and administrators decide; the owner's focal point has a conflict of interest.
DECIDE = row("sign-in", 404, "refused", 404, "refused", "ok", 404, "ok")
# Reviewers, administrators and thematic leaders review; not the proposer's focal point.
REVIEW = row("sign-in", 404, "refused", 404, "ok", "ok", 404, "ok")
WITHDRAW = row("sign-in", 404, "ok", 404, "refused", "refused", 404, "ok")
# The other member's draft invites ours: only our focal point answers for our member.
ANSWER_INVITATION = row("sign-in", 404, "ok", "refused", 404, 404, 404, "refused")
WAIVE = row("sign-in", 404, "refused", 404, 404, 404, 404, "ok")

RULES = {
    # Public pages, feeds and health checks
    ("home.index", "GET"): PUBLIC,
    ("home.theme", "GET"): PUBLIC,
    ("home.healthz", "GET"): PUBLIC,
    ("home.readyz", "GET"): PUBLIC,
    ("events.index", "GET"): PUBLIC,
    ("events.detail", "GET"): PUBLIC,
    ("leaders.index", "GET"): PUBLIC,
    ("leaders.leadership", "GET"): PUBLIC,
    ("leaders.call", "GET"): PUBLIC,
    ("events.image", "GET"): PUBLIC,
    ("agenda.public", "GET"): PUBLIC,
    ("registration.attendees", "GET"): PUBLIC,
    ("registration.inclusion", "GET"): PUBLIC,
    ("calendars.all_events", "GET"): PUBLIC,
    ("calendars.event", "GET"): PUBLIC,
    ("calendars.follow_up", "GET"): PUBLIC,
    ("calendars.session", "GET"): PUBLIC,
    ("calendars.theme", "GET"): PUBLIC,
    ("followup.overview", "GET"): PUBLIC,
    ("followup.overview_csv", "GET"): PUBLIC,
    ("followup.event", "GET"): PUBLIC,
    ("followup.event_csv", "GET"): PUBLIC,
    ("followup.theme", "GET"): PUBLIC,
    ("followup.theme_csv", "GET"): PUBLIC,
    ("followup.member", "GET"): PUBLIC,
    ("followup.member_csv", "GET"): PUBLIC,
    ("followup.detail", "GET"): PUBLIC,  # an approved commitment
    # Accounts: open to everyone, or to the person signed in (acting on their own account)
    ("auth.sign_up", "GET"): PUBLIC,
    ("auth.sign_up", "POST"): PUBLIC,
    ("auth.sign_in", "GET"): PUBLIC,
    ("auth.sign_in", "POST"): PUBLIC,
    ("auth.sign_out", "POST"): PUBLIC,
    ("auth.confirm_email", "GET"): PUBLIC,  # the e-mailed token is the permission
    ("auth.confirm_email", "POST"): PUBLIC,
    ("auth.resend_confirmation", "GET"): PUBLIC,
    ("auth.resend_confirmation", "POST"): PUBLIC,
    ("auth.forgot_password", "GET"): PUBLIC,
    ("auth.forgot_password", "POST"): PUBLIC,
    ("auth.reset_password", "GET"): PUBLIC,  # the e-mailed token is the permission
    ("auth.reset_password", "POST"): PUBLIC,
    ("auth.set_language", "POST"): PUBLIC,
    ("auth.profile", "GET"): SIGNED_IN,
    ("auth.profile", "POST"): SIGNED_IN,
    ("auth.change_password", "POST"): SIGNED_IN,
    ("auth.create_token", "POST"): SIGNED_IN,
    ("auth.revoke_token", "POST"): NOBODY,
    ("auth.sign_out_everywhere", "POST"): SIGNED_IN,
    ("auth.my_data", "GET"): SIGNED_IN,
    ("auth.download_data", "GET"): SIGNED_IN,
    ("auth.delete_account", "POST"): SIGNED_IN,  # with one's own password
    ("auth.delete_someone", "POST"): ADMINS,
    ("calendars.my_calendar", "GET"): SIGNED_IN,
    ("calendars.regenerate", "POST"): SIGNED_IN,
    ("calendars.revoke", "POST"): SIGNED_IN,
    ("calendars.personal", "GET"): PUBLIC,  # the feed's secret address is the permission
    ("agenda.mine", "GET"): SIGNED_IN,
    ("agenda.star", "POST"): SIGNED_IN,
    ("agenda.unstar", "POST"): SIGNED_IN,
    ("followup.mine", "GET"): SIGNED_IN,
    ("followup.mine", "POST"): SIGNED_IN,  # each row is checked against one's own members
    ("followup.mine_template", "GET"): SIGNED_IN,
    # Registration
    ("registration.register", "GET"): PUBLIC,
    ("registration.register", "POST"): PUBLIC,
    ("registration.confirm", "GET"): PUBLIC,  # the e-mailed link is the permission
    ("registration.confirm", "POST"): PUBLIC,
    ("registration.cancel_by_link", "GET"): PUBLIC,
    ("registration.cancel_by_link", "POST"): PUBLIC,
    ("registration.mine", "GET"): SIGNED_IN,
    ("registration.mine_detail", "GET"): THE_PERSON,
    ("registration.mine_detail", "POST"): THE_PERSON,
    ("registration.cancel_mine", "GET"): THE_PERSON,
    ("registration.cancel_mine", "POST"): THE_PERSON,
    ("registration.delegation", "GET"): FOCAL_POINTS,
    ("registration.delegation", "POST"): FOCAL_POINTS,
    # Organisers' pages
    ("events.manage", "GET"): ORGANISERS,
    ("events.edit_details", "GET"): ORGANISERS,
    ("events.edit_details", "POST"): ORGANISERS,
    ("events.edit_registration", "GET"): ORGANISERS,
    ("events.edit_registration", "POST"): ORGANISERS,
    ("events.edit_questions", "GET"): ORGANISERS,
    ("events.edit_questions", "POST"): ORGANISERS,
    ("events.add_organiser", "POST"): ORGANISERS,
    ("events.remove_organiser", "POST"): ORGANISERS,
    ("events.publish", "POST"): ORGANISERS_HIDDEN,  # event D, a draft
    ("events.cancel", "POST"): ORGANISERS,
    ("events.complete", "POST"): ORGANISERS,
    ("events.upload_image", "POST"): ORGANISERS,
    ("events.participant_list", "GET"): ORGANISERS,
    ("events.participant_csv", "GET"): ORGANISERS,
    ("events.participant_action", "POST"): ORGANISERS,
    ("agenda.manage", "GET"): ORGANISERS,
    ("agenda.new_session", "GET"): ORGANISERS,
    ("agenda.new_session", "POST"): ORGANISERS,
    ("agenda.edit_session", "GET"): ORGANISERS,
    ("agenda.edit_session", "POST"): ORGANISERS,
    ("agenda.cancel_session", "POST"): ORGANISERS,
    ("agenda.delete_session", "POST"): ORGANISERS,
    ("agenda.import_sessions", "GET"): ORGANISERS,
    ("agenda.import_sessions", "POST"): ORGANISERS,
    # Follow-up
    ("followup.add", "POST"): ORGANISERS,
    ("followup.approve", "POST"): ORGANISERS_HIDDEN,
    ("followup.report", "POST"): OWNER_FOCAL_POINTS,
    ("followup.assess", "POST"): ASSESSORS,
    # Proposals
    ("proposals.index", "GET"): SIGNED_IN,
    ("proposals.new", "GET"): PROPOSE,
    ("proposals.new", "POST"): PROPOSE,
    ("proposals.queue", "GET"): REVIEWERS_AND_LEADERS,
    ("proposals.detail", "GET"): PROPOSAL_SUBMITTED,
    ("proposals.edit", "GET"): row("sign-in", 404, "ok", 404, 404, 404, 404, "ok"),
    ("proposals.edit", "POST"): PROPOSAL_DRAFT_EDIT,
    ("proposals.submit", "POST"): PROPOSAL_DRAFT_EDIT,
    ("proposals.withdraw", "POST"): WITHDRAW,
    ("proposals.answer_invitation", "POST"): ANSWER_INVITATION,
    ("proposals.review", "POST"): REVIEW,
    ("proposals.decide", "POST"): DECIDE,
    ("proposals.waive", "POST"): WAIVE,
    # Administration
    **{
        (endpoint, method): ADMINS
        for endpoint, methods in {
            "admin.index": ["GET"],
            "admin.audit_log": ["GET"],
            "admin.members": ["GET"],
            "admin.new_member": ["GET", "POST"],
            "admin.member": ["GET", "POST"],
            "admin.delete_member": ["GET", "POST"],
            "admin.add_focal_point": ["POST"],
            "admin.remove_focal_point": ["POST"],
            "admin.people": ["GET"],
            "admin.person": ["GET"],
            "admin.change_active": ["POST"],
            "admin.change_role": ["POST"],
            "admin.themes": ["GET"],
            "admin.new_theme": ["GET", "POST"],
            "admin.theme": ["GET", "POST"],
            "admin.delete_theme": ["GET", "POST"],
            "admin.add_leader": ["POST"],
            "admin.remove_leader": ["POST"],
            "admin.outbox_messages": ["GET"],
            "admin.retry_outbox": ["POST"],
        }.items()
        for method in methods
    },
    # The API: the same decisions, 401 where a page sends people to sign in
    ("api-docs.openapi_json", "GET"): PUBLIC,
    ("api_tokens.create_token", "POST"): PUBLIC,  # e-mail and password are the permission
    ("api_tokens.me", "GET"): api(SIGNED_IN),
    ("api_tokens.revoke_token", "DELETE"): api(NOBODY),
    ("api_personal_data.my_data", "GET"): api(SIGNED_IN),
    ("api_personal_data.delete_me", "DELETE"): api(SIGNED_IN),  # with one's own password
    ("api_themes.list_themes", "GET"): PUBLIC,
    ("api_themes.get_theme", "GET"): PUBLIC,
    ("api_members.list_members", "GET"): PUBLIC,
    ("api_members.get_member", "GET"): PUBLIC,
    ("api_events.list_events", "GET"): PUBLIC,
    ("api_events.get_event", "GET"): PUBLIC,
    ("api_events.create_event", "POST"): api(ADMINS),
    ("api_events.update_event", "PATCH"): api(ORGANISERS),
    ("api_events.publish_event", "POST"): api(ORGANISERS_HIDDEN),
    ("api_events.cancel_event", "POST"): api(ORGANISERS),
    ("api_registrations.register", "POST"): PUBLIC,
    ("api_registrations.list_registrations", "GET"): api(ORGANISERS),
    # The participant's registration at event A: theirs, and its organisers'.
    ("api_registrations.get_registration", "GET"): row(401, "ok", "ok", 404, 404, 404, 404, "ok"),
    # The participant's registration at event B, which the owner does not organise.
    ("api_registrations.cancel_registration", "DELETE"): row(
        401, "ok", 404, 404, 404, 404, 404, "ok"
    ),
    ("api_sessions.list_sessions", "GET"): PUBLIC,
    ("api_sessions.get_session", "GET"): PUBLIC,
    ("api_sessions.create_session", "POST"): api(ORGANISERS),
    ("api_sessions.update_session", "PATCH"): api(ORGANISERS),
    ("api_sessions.delete_session", "DELETE"): api(ORGANISERS),
    ("api_followup.list_commitments", "GET"): PUBLIC,
    ("api_followup.get_commitment", "GET"): PUBLIC,
    ("api_followup.list_updates", "GET"): PUBLIC,
    ("api_followup.list_assessments", "GET"): PUBLIC,
    ("api_followup.create_commitment", "POST"): api(ORGANISERS),
    ("api_followup.approve", "POST"): api(ORGANISERS_HIDDEN),
    ("api_followup.post_update", "POST"): api(OWNER_FOCAL_POINTS),
    ("api_followup.assess", "POST"): api(ASSESSORS),
    ("api_proposals.list_proposals", "GET"): api(SIGNED_IN),
    ("api_proposals.create_proposal", "POST"): api(PROPOSE),
    ("api_proposals.get_proposal", "GET"): api(PROPOSAL_SUBMITTED),
    ("api_proposals.update_proposal", "PATCH"): api(PROPOSAL_DRAFT_EDIT),
    ("api_proposals.submit_proposal", "POST"): api(PROPOSAL_DRAFT_EDIT),
    ("api_proposals.withdraw_proposal", "POST"): api(WITHDRAW),
    ("api_proposals.answer_invitation", "POST"): api(ANSWER_INVITATION),
    ("api_proposals.list_reviews", "GET"): api(PROPOSAL_SUBMITTED),
    ("api_proposals.save_review", "POST"): api(REVIEW),
    ("api_proposals.decide", "POST"): api(DECIDE),
}


@pytest.fixture
def world(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return build_world()


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


# Every rule has a decision ------------------------------------------------------------


def test_every_rule_has_a_decision(app):
    """A new endpoint fails here until someone decides, in RULES, who may use it."""
    assert set(url_rules(app)) == set(RULES)


def test_every_decision_names_every_role():
    for key, cells in RULES.items():
        assert list(cells) == ROLES, key
        for cell in cells.values():
            assert cell in ("ok", "sign-in", "refused", 401, 403, 404, "ok|403"), (key, cell)


def openapi_operations(app, spec) -> set[tuple[str, str]]:
    """(endpoint, method) of every operation in the OpenAPI document, found in the url_map."""
    adapter = app.url_map.bind("localhost")
    found = set()
    for path, item in spec["paths"].items():
        for method in item:
            if method == "parameters":
                continue
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            endpoint, _values = adapter.match(concrete, method=method.upper())
            found.add((endpoint, method.upper()))
    return found


def test_the_openapi_document_lists_every_api_rule(app, spec):
    """The API walk below covers the document's operations: they are the API's rules."""
    api_rules = {key for key in url_rules(app) if is_api(key[0])}
    assert openapi_operations(app, spec) == api_rules - {("api-docs.openapi_json", "GET")}


# Every rule, every role ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_rule_for(app, world, role):
    """Every page rule with the role's browser session, then every operation of the
    OpenAPI document with the role's bearer token. One world serves both: what a page
    request destroys and an API decision depends on has a copy of its own."""
    person = world.people.get(role)
    pages = requests_for(app, world, person, api=False)
    operations = requests_for(app, world, person, api=True)
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = openapi_operations(app, spec) | {("api-docs.openapi_json", "GET")}
    assert {(endpoint, method) for endpoint, method, _u, _b in operations} == documented

    if person:
        sign_in(client, person)
    seen = {}
    for endpoint, method, url, body in pages:
        if person and (endpoint, method) in SESSION_ENDING:
            sign_in(client, person)
        response = client.open(url, method=method, data=body)
        seen[(endpoint, method)] = outcome(response, flashed_error(client))

    api_client = app.test_client()  # no cookie: the API knows only the bearer token
    headers = bearer(person) if person else {}
    for endpoint, method, url, body in operations:
        response = api_client.open(url, method=method, json=body, headers=headers)
        seen[(endpoint, method)] = outcome(response)

    expected = {key: cells[role] for key, cells in RULES.items()}
    wrong = {
        f"{endpoint} {method}": {"expected": expected.get((endpoint, method)), "seen": value}
        for (endpoint, method), value in seen.items()
        if not matches(expected.get((endpoint, method)), value)
    }
    assert not wrong, f"{role}: {wrong}"


# Ids from elsewhere in a URL (IDOR) ---------------------------------------------------

# (who, method, URL from the world, form or JSON body): each must be refused with 404
# (or 403 where the object is visible but not theirs), and change nothing.
ELSEWHERE = {
    # A draft call is for administrators only, whoever asks for it by its id
    "a draft call": ("reviewer", "GET", lambda w: f"/leaders/calls/{w.draft_call.id}", None),
    # Event B's session under event A's address
    "edit B's session under A": (
        "owner_focal_point",
        "GET",
        lambda w: f"/events/{w.a.slug}/agenda/sessions/{w.s_b.id}/edit",
        None,
    ),
    "delete B's session under A": (
        "owner_focal_point",
        "POST",
        lambda w: f"/events/{w.a.slug}/agenda/sessions/{w.s_b.id}/delete",
        {},
    ),
    "cancel B's session under A": (
        "owner_focal_point",
        "POST",
        lambda w: f"/events/{w.a.slug}/agenda/sessions/{w.s_b.id}/cancel",
        {},
    ),
    "star B's session under A": (
        "participant",
        "POST",
        lambda w: f"/events/{w.a.slug}/agenda/sessions/{w.s_b.id}/star",
        {},
    ),
    "B's session feed under A": (
        "anonymous",
        "GET",
        lambda w: f"/events/{w.a.slug}/sessions/{w.s_b.id}.ics",
        None,
    ),
    "API: B's session under A": (
        "owner_focal_point",
        "GET",
        lambda w: f"/api/v1/events/{w.a.id}/sessions/{w.s_b.id}",
        None,
    ),
    "API: change B's session under A": (
        "owner_focal_point",
        "PATCH",
        lambda w: f"/api/v1/events/{w.a.id}/sessions/{w.s_b.id}",
        {"title": "Taken over"},
    ),
    "API: delete B's session under A": (
        "owner_focal_point",
        "DELETE",
        lambda w: f"/api/v1/events/{w.a.id}/sessions/{w.s_b.id}",
        None,
    ),
    # Registrations: another event's, someone else's
    "cancel B's registration from A's participant list": (
        "owner_focal_point",
        "POST",
        lambda w: f"/events/{w.a.slug}/participants/{w.r_b.id}/cancel",
        {},
    ),
    "someone else's registration": (
        "participant",
        "GET",
        lambda w: f"/me/registrations/{w.r_stranger.id}",
        None,
    ),
    "change someone else's registration": (
        "participant",
        "POST",
        lambda w: f"/me/registrations/{w.r_stranger.id}",
        {"sector": "government"},
    ),
    "cancel someone else's registration": (
        "participant",
        "POST",
        lambda w: f"/me/registrations/{w.r_stranger.id}/cancel",
        {},
    ),
    "cancel one registration with another's link": (
        "anonymous",
        "POST",
        lambda w: f"/registrations/{w.r_stranger.id}/cancel/{w.token_b}",
        {},
    ),
    "API: someone else's registration": (
        "participant",
        "GET",
        lambda w: f"/api/v1/registrations/{w.r_stranger.id}",
        None,
    ),
    "API: cancel someone else's registration": (
        "participant",
        "DELETE",
        lambda w: f"/api/v1/registrations/{w.r_stranger.id}",
        None,
    ),
    "API: a registration at an event one does not organise": (
        "owner_focal_point",
        "GET",
        lambda w: f"/api/v1/registrations/{w.r_b.id}",
        None,
    ),
    # Commitments of another event
    "approve B's commitment": (
        "owner_focal_point",
        "POST",
        lambda w: f"/commitments/{w.pending_b.id}/approve",
        {},
    ),
    "API: approve B's commitment": (
        "owner_focal_point",
        "POST",
        lambda w: f"/api/v1/commitments/{w.pending_b.id}/approve",
        None,
    ),
    "report on another member's commitment": (
        "owner_focal_point",
        "POST",
        lambda w: f"/commitments/{w.commitment_b.id}/updates",
        {"status": "completed", "narrative": "Done, says who?"},
    ),
    "API: report on another member's commitment": (
        "owner_focal_point",
        "POST",
        lambda w: f"/api/v1/commitments/{w.commitment_b.id}/updates",
        {"status": "completed"},
    ),
    # Another event's organiser, removed through ours
    "remove B's organiser through A": (
        "owner_focal_point",
        "POST",
        lambda w: f"/events/{w.a.slug}/manage/organisers/{w.other_organiser.id}/remove",
        {},
    ),
    # Another member's draft proposal
    "another member's draft": (
        "owner_focal_point",
        "GET",
        lambda w: f"/proposals/{w.p_other_draft.id}",
        None,
    ),
    "API: another member's draft": (
        "owner_focal_point",
        "GET",
        lambda w: f"/api/v1/proposals/{w.p_other_draft.id}",
        None,
    ),
    "API: submit another member's draft": (
        "owner_focal_point",
        "POST",
        lambda w: f"/api/v1/proposals/{w.p_other_draft.id}/submit",
        {},
    ),
    # A draft event and what hangs from it, for people who do not organise it
    **{
        f"draft event: {path}": ("participant", "GET", (lambda w, p=path: p.format(w=w)), None)
        for path in (
            "/events/{w.d.slug}",
            "/events/{w.d.slug}/agenda",
            "/events/{w.d.slug}/attendees",
            "/events/{w.d.slug}/inclusion",
            "/events/{w.d.slug}/register",
            "/events/{w.d.slug}/follow-up",
            "/events/{w.d.slug}/follow-up.csv",
            "/events/{w.d.slug}.ics",
            "/events/{w.d.slug}/follow-up.ics",
            "/events/{w.d.slug}/sessions/{w.s_d.id}.ics",
            "/api/v1/events/{w.d.id}",
            "/api/v1/events/{w.d.id}/sessions",
            "/api/v1/events/{w.d.id}/sessions/{w.s_d.id}",
            "/api/v1/events/{w.d.id}/commitments",
        )
    },
}


def _unchanged(w) -> dict:
    """What the refused requests above would have changed."""
    db.session.expire_all()
    return {
        "B's sessions": [(s.id, s.title, s.cancelled_at) for s in agenda.sessions_of(w.b)],
        "registrations": {r.id: (r.status, r.sector) for r in (w.r_b, w.r_stranger)},
        "B's pending commitment": w.pending_b.approved_at,
        "B's commitment's updates": len(w.commitment_b.updates),
        "B's organisers": sorted(o.user_id for o in w.b.organisers),
        "other draft": w.p_other_draft.status,
        "stars": db.session.scalars(select(Star)).all(),
    }


def test_ids_from_elsewhere_are_refused(app, world):
    w = world
    followup_b = followup.create_commitment(
        w.people["other_focal_point"],
        w.b,
        CommitmentInput(
            member_id=w.other.id, title="Awaiting", due_date=w.b.starts_at.date() + timedelta(30)
        ),
    )
    db.session.commit()
    w.pending_b = followup_b
    before = _unchanged(w)
    clients = {}
    refused = {}
    for name, (role, method, url, body) in ELSEWHERE.items():
        if role not in clients:
            clients[role] = app.test_client()
            if role != "anonymous":
                sign_in(clients[role], w.people[role])
        headers = bearer(w.people[role]) if url(w).startswith("/api/") else {}
        kwargs = {"json": body} if headers else {"data": body}
        response = clients[role].open(url(w), method=method, headers=headers, **kwargs)
        refused[name] = outcome(response, flashed_error(clients[role])) in (403, 404, "refused")
    assert refused == dict.fromkeys(ELSEWHERE, True)
    assert _unchanged(w) == before


def _draft_event_commitment(w):
    made = followup.create_commitment(
        w.people["owner_focal_point"],
        w.d,
        CommitmentInput(
            member_id=w.owner.id,
            title="Not yet announced",
            due_date=w.d.starts_at.date() + timedelta(30),
        ),
    )
    db.session.commit()
    return made


@pytest.mark.parametrize("path", ["/commitments/{id}", "/api/v1/commitments/{id}"])
def test_a_draft_events_commitment_is_hidden_like_its_event(client, world, path):
    commitment = _draft_event_commitment(world)
    assert client.get(f"/events/{world.d.slug}").status_code == 404
    response = client.get(path.format(id=commitment.id))
    assert response.status_code == 404
    assert "Not yet announced" not in response.get_data(as_text=True)


def test_a_csv_import_cannot_report_on_another_members_commitment(app, world):
    """The bulk import checks every row against the uploader's members."""
    client = app.test_client()
    sign_in(client, world.people["other_focal_point"])
    csv_text = f"commitment_id,status,narrative\n{world.approved.id},completed,Not mine\n"
    response = client.post(
        "/me/commitments",
        data={"file": (io.BytesIO(csv_text.encode()), "updates.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert world.approved.updates == []
