"""The audit log: each audited change writes exactly one entry with its actor, refusals write
none, administrators read and filter the log, and nothing can change an entry."""

import inspect
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select, update

from convene.extensions import db
from convene.models import AuditEntry, AuditEntryIsFinal, Role, utcnow
from convene.policy import SYSTEM
from convene.services import (
    DomainError,
    InvalidInput,
    PermissionDenied,
    accounts,
    audit,
    events,
    followup,
    members,
    proposals,
    reviews,
)
from convene.services import registration as reg
from convene.services.events import EventInput, RegistrationSettings

from .factories import (
    Cast,
    make_event,
    make_focal_point,
    make_member,
    make_proposal,
    make_user,
    proposal_input,
    registration_input,
    theme_ids,
)
from .test_followup_services import commitment_input


def logged(**where) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def only(action: str) -> AuditEntry:
    """The one entry written since the last check, which must be `action`."""
    db.session.commit()
    entries = [e for e in logged() if e.id > only.seen]
    assert [e.action for e in entries] == [action]
    only.seen = entries[0].id
    return entries[0]


@pytest.fixture(autouse=True)
def _fresh(app):
    only.seen = db.session.scalar(select(func.max(AuditEntry.id))) or 0


# What each service records ------------------------------------------------------------


def test_roles_and_accounts(app, admin):
    person = make_user(email="ana@example.org")
    accounts.grant_role(admin, person, Role.REVIEWER)
    entry = only("role.granted")
    assert (entry.actor_id, entry.actor_label) == (admin.id, f"person #{admin.id}")
    assert (entry.object_type, entry.object_id) == ("user", person.id)
    assert entry.summary == f"granted reviewer to person #{person.id}"
    assert entry.at <= utcnow() and entry.at.utcoffset() == timedelta(0)
    accounts.grant_role(admin, person, Role.REVIEWER)  # already had it: nothing changed
    db.session.commit()
    assert count() == 1
    accounts.revoke_role(admin, person, Role.REVIEWER)
    assert only("role.revoked").summary == f"revoked reviewer from person #{person.id}"
    accounts.set_active(admin, person, False)
    assert only("account.deactivated").object_id == person.id
    accounts.set_active(admin, person, True)
    assert only("account.activated").object_id == person.id


def test_the_command_line_is_recorded_as_the_system(app):
    person = make_user()
    accounts.grant_role(SYSTEM, person, Role.ASSESSOR)
    entry = only("role.granted")
    assert (entry.actor_id, entry.actor_label) == (None, "system")


def test_entries_name_people_by_number_and_outlive_their_account(app, admin):
    other_admin = make_user(email="gone@example.org", roles=["admin"])
    accounts.grant_role(other_admin, make_user(), Role.REVIEWER)
    db.session.commit()
    number = other_admin.id
    db.session.delete(other_admin)
    db.session.commit()
    db.session.expire_all()
    [entry] = logged()
    # No address in a log nobody can edit: an erased account leaves none behind.
    assert (entry.actor_id, entry.actor_label) == (None, f"person #{number}")
    assert "gone@example.org" not in entry.summary


def test_members_and_focal_points(app, admin):
    member = members.create_member(admin, "Government of Testland", "national_government", "FR")
    entry = only("member.created")
    assert (entry.object_type, entry.object_id) == ("member", member.id)
    members.update_member(admin, member, "Government of Testland", "local_government", "FR")
    entry = only("member.updated")
    assert entry.details == {"kind": {"old": "national_government", "new": "local_government"}}
    members.update_member(admin, member, "Government of Testland", "local_government", "FR")
    db.session.commit()
    assert count() == 2  # saved without a change: nothing to record
    person = make_user(email="fp@example.org")
    members.add_focal_point(admin, member, "fp@example.org")
    assert f"person #{person.id}" in only("member.focal_point_added").summary
    members.remove_focal_point(admin, member, person.id)
    assert only("member.focal_point_removed").object_id == member.id
    member_id = member.id
    members.delete_member(admin, member)
    assert only("member.deleted").object_id == member_id


def test_proposal_decisions_and_waivers(app):
    cast = Cast()
    proposal = make_proposal(cast, "submitted")
    # Drafting and submitting are not audited; the co-host's answer is.
    assert [e.action for e in logged()] == ["proposal.cohost_answered"]
    only.seen = logged()[-1].id
    reviews.decide(cast.reviewer, proposal, "request_changes", "Say more about the budget.")
    entry = only("proposal.decided")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        cast.reviewer.id,
        "proposal",
        proposal.id,
    )
    assert entry.details == {"decision": "changes_requested"}
    declined = make_proposal(cast, "draft", cohost=False)
    proposals.waive_cocreation(cast.admin, declined, "A regional event.")
    assert only("proposal.cocreation_waived").details == {"reason": "A regional event."}
    proposals.submit(cast.proposer, declined)
    reviews.decide(cast.admin, declined, "decline", "Out of scope.")
    assert only("proposal.decided").details == {"decision": "declined"}


def test_every_cohost_answer_and_removal_is_kept(app):
    cast = Cast()
    proposal = make_proposal(cast, "draft", cohost=False)
    same = dict(starts_at=proposal.starts_at, ends_at=proposal.ends_at)
    proposals.update_proposal(
        cast.proposer, proposal, proposal_input(cohost_ids=[cast.civil_society.id], **same)
    )
    db.session.commit()
    assert count() == 0  # an invitation stays on the proposal: nothing is lost
    for answer in (True, False, True):
        proposals.respond_to_invitation(cast.cohost, proposal, cast.civil_society.id, answer)
        entry = only("proposal.cohost_answered")
        assert (entry.actor_id, entry.object_type, entry.object_id) == (
            cast.cohost.id,
            "proposal",
            proposal.id,
        )
        word = "accepted" if answer else "declined"
        assert entry.details == {"member": "cuo", "answer": word}
        assert entry.summary == f"cuo {word} co-hosting “Open justice in practice”"
    proposals.update_proposal(cast.proposer, proposal, proposal_input(cohost_ids=[], **same))
    entry = only("proposal.cohost_removed")
    assert entry.details == {"member": "cuo", "answer": "accepted"}
    assert entry.summary == "removed cuo (accepted) as a co-host of “Open justice in practice”"


def test_a_proposals_changes_are_kept_between_rounds(app):
    cast = Cast()
    proposal = make_proposal(cast, "changes_requested")
    only.seen = db.session.scalar(select(func.max(AuditEntry.id)))
    # The same times, not the factory's (computed from the clock, they could move a day).
    same = dict(
        starts_at=proposal.starts_at, ends_at=proposal.ends_at, cohost_ids=[cast.civil_society.id]
    )
    proposals.update_proposal(cast.proposer, proposal, proposal_input(**same))
    db.session.commit()
    assert logged()[-1].id == only.seen  # saved without a change: nothing to record
    proposals.update_proposal(
        cast.proposer,
        proposal,
        proposal_input(title="Open justice for all ages", theme_ids=theme_ids("youth"), **same),
    )
    entry = only("proposal.changed")
    assert (entry.actor_id, entry.object_id) == (cast.proposer.id, proposal.id)
    assert entry.details == {
        "title": {"old": "Open justice in practice", "new": "Open justice for all ages"},
        "themes": {"old": ["open-justice"], "new": ["youth"]},
    }


def test_event_settings_and_life(app):
    organiser = make_user(email="olga@example.org")
    event = make_event(status="draft", organisers=[organiser], timezone="Europe/Paris")
    events.update_registration_settings(organiser, event, RegistrationSettings(capacity=40))
    entry = only("event.settings_changed")
    assert entry.details == {"capacity": {"old": None, "new": 40}}
    assert entry.actor_label == f"person #{organiser.id}"
    events.update_registration_settings(organiser, event, RegistrationSettings(capacity=40))
    db.session.commit()
    assert count() == 1
    details = EventInput(
        title="A renamed forum",
        format=event.format.value,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        city=event.city,
        country=event.country,
    )
    events.update_event(organiser, event, details)
    changed = only("event.details_changed").details
    assert changed["title"] == {"old": "Open Justice Forum", "new": "A renamed forum"}
    second = make_user(email="second@example.org")
    events.add_organiser(organiser, event, second.email)
    assert f"person #{second.id}" in only("event.organiser_added").summary
    events.publish(organiser, event)
    only("event.published")
    events.cancel_event(organiser, event, "The venue burnt down.")
    only("event.cancelled")


def test_completing_events_by_hand_and_by_the_schedule(app):
    organiser = make_user()
    ended = make_event(organisers=[organiser], days=-2)
    events.complete(organiser, ended)
    assert only("event.completed").actor_id == organiser.id
    also_ended = make_event(days=-3)
    assert events.complete_ended() == 1
    entry = only("event.completed")
    assert (entry.actor_label, entry.object_id) == ("system", also_ended.id)


def test_organisers_moving_registrations(app):
    organiser = make_user()
    event = make_event(capacity=1, manual_approval=True, organisers=[organiser])
    first, second, third = (
        reg.register(event, registration_input(), actor=make_user())[0] for _ in range(3)
    )
    db.session.commit()
    assert count() == 0  # people registering themselves are not audited
    reg.approve(organiser, first)
    entry = only("registration.approved")
    assert (entry.object_type, entry.object_id) == ("registration", first.id)
    assert entry.details == {"event_id": event.id, "from": "pending", "to": "confirmed"}
    assert "Rita" not in entry.summary  # the person is named by the registration's number
    reg.approve(organiser, second)
    assert only("registration.approved").details["to"] == "waitlisted"
    reg.decline(organiser, third)
    only("registration.declined")
    reg.set_check_in(organiser, first, "online")
    assert only("registration.checked_in").details["mode"] == "online"
    reg.set_check_in(organiser, first, None)
    only("registration.check_in_undone")
    event.capacity = 2
    db.session.commit()
    reg.move_from_waitlist(organiser, second)
    assert only("registration.moved_from_waitlist").details["to"] == "confirmed"
    reg.cancel_by_organiser(organiser, second)
    assert only("registration.cancelled").details["from"] == "confirmed"
    reg.cancel_by_organiser(organiser, second)  # already cancelled: nothing changed
    db.session.commit()
    assert len(logged(object_type="registration")) == 7


def test_commitments_approved_and_assessed(app):
    world = SimpleNamespace(organiser=make_user(), owner=make_member())
    world.focal_point = make_focal_point(world.owner).user
    world.assessor = make_user(roles=["assessor"])
    world.event = make_event(
        organisers=[world.organiser], starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), days=0
    )
    world.event.hosts = [world.owner]
    db.session.commit()
    proposed = followup.create_commitment(world.focal_point, world.event, commitment_input(world))
    followup.approve(world.organiser, proposed)
    assert only("commitment.approved").object_id == proposed.id
    followup.approve(world.organiser, proposed)
    db.session.commit()
    assert count() == 1
    followup.assess(world.assessor, proposed, "limited", "Only a pilot so far.")
    entry = only("assessment.recorded")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        world.assessor.id,
        "commitment",
        proposed.id,
    )
    assert entry.details["status"] == "limited"


# Refusals write nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        lambda admin, person, member: accounts.grant_role(person, person, Role.ADMIN),
        lambda admin, person, member: accounts.revoke_role(admin, admin, Role.ADMIN),
        lambda admin, person, member: accounts.set_active(admin, admin, False),
        lambda admin, person, member: members.update_member(admin, member, "", "other", "FR"),
        lambda admin, person, member: members.create_member(person, "New", "other", "FR"),
        lambda admin, person, member: members.add_focal_point(admin, member, "new@example.org"),
        lambda admin, person, member: members.remove_focal_point(admin, member, person.id),
    ],
)
def test_refused_changes_write_nothing(app, admin, attempt):
    person, member = make_user(), make_member()
    with pytest.raises(DomainError):
        attempt(admin, person, member)
    db.session.rollback()
    assert count() == 0


def test_refused_moves_and_decisions_write_nothing(app):
    cast = Cast()
    proposal = make_proposal(cast, "submitted")
    recorded = count()  # the co-host's answer
    with pytest.raises(PermissionDenied):
        reviews.decide(cast.participant, proposal, "accept", "Fine.")
    with pytest.raises(InvalidInput):
        reviews.decide(cast.reviewer, proposal, "accept", "")
    event = make_event(organisers=[cast.proposer])
    registration = reg.register(event, registration_input(), actor=cast.participant)[0]
    with pytest.raises(PermissionDenied):
        reg.set_check_in(cast.outsider, registration, "online")
    with pytest.raises(InvalidInput):
        reg.set_check_in(cast.proposer, registration, "by pigeon")
    with pytest.raises(InvalidInput):
        events.update_registration_settings(cast.proposer, event, RegistrationSettings(capacity=-1))
    db.session.rollback()
    assert count() == recorded


def test_a_refusal_on_a_page_is_rolled_back_with_nothing_recorded(admin_client, admin):
    response = admin_client.post(f"/admin/people/{admin.id}/roles/admin/revoke")
    assert response.status_code == 302
    assert count() == 0
    response = admin_client.post(f"/admin/people/{admin.id}/roles/reviewer/grant")
    assert count() == 1 and logged()[0].actor_id == admin.id


# The administrators' page ----------------------------------------------------------------


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_log_lists_entries_newest_first_with_links(admin_client, admin):
    person = make_user(email="ana@example.org")
    member = make_member(name="Government of Testland")
    accounts.grant_role(admin, person, Role.REVIEWER)
    members.update_member(admin, member, "Government of Testland", "other", "FR")
    db.session.commit()
    response = admin_client.get("/admin/audit/")
    html = page(response)
    assert response.status_code == 200
    assert html.index("member.updated") < html.index("role.granted")
    assert f"granted reviewer to person #{person.id}" in html
    assert admin.email in html  # the actor, by their current address
    assert f'href="/admin/people/{person.id}"' in html
    assert f'href="/admin/members/{member.id}"' in html
    assert "UTC" in html  # the time says its zone
    assert "national_government → other" in html


def test_the_log_is_filtered(admin_client, admin):
    person = make_user(email="ana@example.org")
    member = make_member()
    accounts.grant_role(admin, person, Role.REVIEWER)
    accounts.grant_role(SYSTEM, person, Role.ASSESSOR)
    members.update_member(admin, member, "Renamed", "other", "FR")
    db.session.commit()

    def actions(**args):
        html = page(admin_client.get("/admin/audit/", query_string=args))
        return sorted(a for a in ("role.granted", "member.updated") if a in html), html

    assert actions(action="role.")[0] == ["role.granted"]
    assert actions(action="member.")[0] == ["member.updated"]
    assert actions(object_type="user", object_id=person.id)[0] == ["role.granted"]
    assert actions(object_type="member", object_id=member.id + 1)[0] == []
    found, html = actions(actor="SYSTEM")
    assert found == ["role.granted"] and "granted assessor" in html
    assert "granted reviewer" not in html
    _, html = actions(actor="nobody@example.org")
    assert "Nothing has been recorded that matches." in html
    # Nonsense in a filter is ignored rather than refused.
    assert admin_client.get("/admin/audit/?object_id=x&action=nope").status_code == 200


def test_the_log_is_paginated(admin_client, admin):
    person = make_user()
    for _ in range(14):
        accounts.grant_role(admin, person, Role.REVIEWER)
        accounts.revoke_role(admin, person, Role.REVIEWER)
    db.session.commit()
    first = page(admin_client.get("/admin/audit/"))
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = page(admin_client.get("/admin/audit/?page=2&action=role."))
    assert second.count("<code>role.") == 3


def test_only_administrators_read_the_log(client, signed_in):
    assert signed_in.get("/admin/audit/").status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/admin/audit/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_the_admin_navigation_links_to_the_log(admin_client):
    assert 'href="/admin/audit/"' in page(admin_client.get("/admin/"))


# Entries are final -------------------------------------------------------------------------


def test_nothing_in_the_app_offers_to_change_or_delete_entries(app, admin_client):
    """Only GET routes, no form that posts to the log, no service function that would."""
    rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule or "audit" in r.endpoint]
    assert rules
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)
    accounts.grant_role(SYSTEM, make_user(), Role.REVIEWER)
    db.session.commit()
    html = page(admin_client.get("/admin/audit/"))
    assert "role.granted" in html
    posting = re.findall(r"<form method=\"post\" action=\"([^\"]*)\"", html)
    assert sorted(action.split("?")[0] for action in posting) == ["/language", "/sign-out"]
    names = [name for name, _ in inspect.getmembers(audit, inspect.isfunction)]
    assert not [n for n in names if any(w in n for w in ("update", "delete", "edit", "remove"))]


def test_the_orm_refuses_to_change_or_delete_an_entry(app, admin):
    accounts.grant_role(admin, make_user(), Role.REVIEWER)
    db.session.commit()
    entry = logged()[0]
    entry.summary = "nothing happened"
    with pytest.raises(AuditEntryIsFinal):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditEntryIsFinal):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditEntryIsFinal):
        db.session.execute(update(AuditEntry).values(summary="rewritten"))
    with pytest.raises(AuditEntryIsFinal):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert [e.summary for e in logged()] == [entry.summary]
    assert entry.summary.startswith("granted reviewer")


def test_an_entry_is_only_committed_with_its_change(app, admin):
    accounts.grant_role(admin, make_user(), Role.REVIEWER)
    db.session.rollback()
    assert count() == 0
