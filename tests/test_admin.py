"""The administration area: who may enter, and the wiring of each page to its service."""

import re

import pytest
from sqlalchemy import func, select, text

from convene.extensions import db
from convene.models import (
    FocalPoint,
    Member,
    MemberKind,
    MessageStatus,
    OutboxMessage,
    Role,
    Theme,
    ThemeLeader,
    User,
)

from .conftest import outbox_to
from .factories import PASSWORD, make_focal_point, make_member, make_user


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def member_named(name: str) -> Member | None:
    return db.session.scalar(select(Member).where(Member.name == name))


def theme(slug: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def ids(app, user):
    """Ids for the parametrized URLs: a member with a focal point, a theme with a leader."""
    focal_point = make_focal_point(user=make_user(email="fp@example.org"))
    open_state = theme("open-state")
    db.session.add(ThemeLeader(theme=open_state, member=focal_point.member))
    db.session.commit()
    return {
        "member": focal_point.member_id,
        "person": focal_point.user_id,
        "theme": open_state.id,
        "user": user.id,
    }


PAGES = [
    "/admin/",
    "/admin/members/",
    "/admin/members/new",
    "/admin/members/{member}",
    "/admin/members/{member}/delete",
    "/admin/people/",
    "/admin/people/{person}",
    "/admin/themes/",
    "/admin/themes/new",
    "/admin/themes/{theme}",
    "/admin/themes/{theme}/delete",
    "/admin/outbox/",
]
ACTIONS = [
    "/admin/members/new",
    "/admin/members/{member}",
    "/admin/members/{member}/focal-points",
    "/admin/members/{member}/focal-points/{person}/remove",
    "/admin/members/{member}/delete",
    "/admin/people/{user}/roles/admin/grant",
    "/admin/people/{person}/deactivate",
    "/admin/themes/new",
    "/admin/themes/{theme}",
    "/admin/themes/{theme}/leaders",
    "/admin/themes/{theme}/leaders/{member}/remove",
    "/admin/themes/{theme}/delete",
    "/admin/outbox/retry",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, ids, url):
    response = client.get(url.format(**ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_refused_to_people_who_are_not_administrators(signed_in, ids, url):
    assert signed_in.get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("url", ACTIONS)
def test_actions_are_refused_to_people_who_are_not_administrators(signed_in, ids, url):
    response = signed_in.post(
        url.format(**ids),
        data={
            "name": "Taken over",
            "kind": "other",
            "country": "FR",
            "slug": "open-state",
            "name_en": "x",
            "name_fr": "x",
            "name_es": "x",
            "fp-email": "x@example.org",
            "member_id": ids["member"],
        },
    )
    assert response.status_code == 403
    assert count(Member) == 1 and count(FocalPoint) == 1 and count(ThemeLeader) == 1
    assert not db.session.get(User, ids["user"]).is_admin
    assert db.session.get(User, ids["person"]).active


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/999999",
        "/admin/members/999999/delete",
        "/admin/people/999999",
        "/admin/themes/999999",
        "/admin/themes/999999/delete",
    ],
)
def test_unknown_ids_are_not_found(admin_client, url):
    assert admin_client.get(url).status_code == 404


def test_the_dashboard_counts_and_links(admin_client):
    make_member()
    make_member()
    db.session.add_all(
        [
            OutboxMessage(
                to_address="a@example.org",
                subject="s",
                body_text="b",
                kind="k",
                status=MessageStatus.FAILED,
            ),
            OutboxMessage(
                to_address="b@example.org",
                subject="s",
                body_text="b",
                kind="k",
                status=MessageStatus.FAILED,
            ),
            OutboxMessage(to_address="c@example.org", subject="s", body_text="b", kind="k"),
        ]
    )
    db.session.commit()
    html = page(admin_client.get("/admin/"))
    cells = dict(re.findall(r"<a href=\"[^\"]+\">([^<]+)</a></th><td>(\d+)</td>", html))
    assert cells == {
        "Members": "2",
        "People": "1",
        "Themes": str(count(Theme)),
        "E-mails waiting to be sent": "1",
        "E-mails that failed": "2",
    }
    assert 'href="/admin/outbox/?status=failed"' in html


# Members --------------------------------------------------------------------------------


def test_members_are_filtered_by_kind_country_and_name(admin_client):
    make_member("Government of Kenya", kind=MemberKind.NATIONAL_GOVERNMENT, country="KE")
    make_member("Mzalendo Trust", kind=MemberKind.CIVIL_SOCIETY, country="KE")
    make_member("Poder Ciudadano", kind=MemberKind.CIVIL_SOCIETY, country="AR")

    def names(query):
        html = page(admin_client.get(f"/admin/members/?{query}"))
        return re.findall(r'<a href="/admin/members/\d+">([^<]+)</a>', html)

    assert names("") == ["Government of Kenya", "Mzalendo Trust", "Poder Ciudadano"]
    assert names("kind=civil_society") == ["Mzalendo Trust", "Poder Ciudadano"]
    assert names("country=KE") == ["Government of Kenya", "Mzalendo Trust"]
    assert names("kind=civil_society&country=KE") == ["Mzalendo Trust"]
    assert names("q=CIUDAD") == ["Poder Ciudadano"]
    assert names("q=100%25") == []
    # Nonsense in the address is ignored, not a server error.
    assert names("kind=emperor&country=XX&page=-3") == names("")


def test_the_member_list_is_paginated_keeping_the_filters(admin_client):
    for n in range(30):
        make_member(f"Civil society {n:02d}", kind=MemberKind.CIVIL_SOCIETY)
    make_member("A government")
    first = page(admin_client.get("/admin/members/?kind=civil_society"))
    assert "30 found." in first
    assert "Civil society 00" in first and "Civil society 25" not in first
    assert "A government" not in first
    assert 'href="/admin/members/?kind=civil_society&amp;page=2"' in first
    second = page(admin_client.get("/admin/members/?kind=civil_society&page=2"))
    assert "Civil society 25" in second and "Civil society 00" not in second


def test_an_administrator_adds_a_member(admin_client):
    response = admin_client.post(
        "/admin/members/new",
        data={
            "name": " Government of Senegal ",
            "kind": "national_government",
            "country": "sn",
            "website": "https://www.gouv.sn",
        },
    )
    member = member_named("Government of Senegal")
    assert member is not None
    assert (member.kind, member.country, member.slug, member.website) == (
        MemberKind.NATIONAL_GOVERNMENT,
        "SN",
        "government-of-senegal",
        "https://www.gouv.sn",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/members/{member.id}"
    assert "Government of Senegal is added." in page(admin_client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Ministry of Truth", "country": "ZZ"}, "country", "two-letter ISO 3166"),
        ({"name": "open GOVERNMENT network"}, "name", "Another member already has this name"),
        ({"name": "   "}, "name", "This field is required"),
        ({"name": "Fine", "kind": "emperor"}, "kind", "Choose a kind of member"),
        ({"name": "Fine", "website": "javascript:alert(1)"}, "website", "https://"),
    ],
)
def test_a_new_member_with_bad_details_is_refused_keeping_what_was_typed(
    admin_client, data, field, message
):
    make_member("Open Government Network")
    typed = {
        "kind": "civil_society",
        "country": "FR",
        "website": "https://example.org/typed",
        **data,
    }
    response = admin_client.post("/admin/members/new", data=typed)
    assert response.status_code == 422
    html = page(response)
    error = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.S)
    assert error and message in error.group(1)
    if typed["name"].strip():
        assert f'value="{typed["name"]}"' in html
    assert f'value="{typed["website"]}"' in html
    assert count(Member) == 1


def test_an_administrator_edits_a_member(admin_client):
    member = make_member("Gov of France", country="FR")
    response = admin_client.post(
        f"/admin/members/{member.id}",
        data={
            "name": "Government of France",
            "kind": "national_government",
            "country": "FR",
            "website": "",
            "slug": "france",
        },
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.name, member.slug) == ("Government of France", "france")
    follow = page(admin_client.get(response.headers["Location"]))
    assert "The changes to Government of France are saved." in follow


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Government of Chile"},
        {"name": "government of chile"},
        {"name": "Renamed", "slug": "chile"},
        {"name": "Renamed", "country": "Chile"},
        {"name": ""},
    ],
)
def test_bad_changes_to_a_member_are_refused_and_nothing_saved_is_lost(admin_client, data):
    # Peru first: a clash check that finds the edited member itself must look further.
    member = make_member("Government of Peru", slug="peru", country="PE")
    make_member("Government of Chile", slug="chile", country="CL")
    form = {"kind": "civil_society", "country": "PE", "website": "https://peru.example", **data}
    response = admin_client.post(f"/admin/members/{member.id}", data=form)
    assert response.status_code == 422
    assert 'class="errors"' in page(response)
    assert f'value="{form["website"]}"' in page(response)  # what was typed is kept
    db.session.refresh(member)
    assert (member.name, member.slug, member.kind, member.country, member.website) == (
        "Government of Peru",
        "peru",
        MemberKind.NATIONAL_GOVERNMENT,
        "PE",
        None,
    )


def test_deleting_a_member_asks_first_then_removes_its_links(admin_client):
    focal_point = make_focal_point(user=make_user(email="fp@example.org"))
    member = focal_point.member
    db.session.add(ThemeLeader(theme=theme("youth"), member=member))
    db.session.commit()
    member_id = member.id

    confirm = page(admin_client.get(f"/admin/members/{member_id}/delete"))
    assert "1 person stops being its focal point" in confirm and "Youth" in confirm
    assert count(Member) == 1  # looking at the question changes nothing

    response = admin_client.post(f"/admin/members/{member_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/members/"
    assert db.session.get(Member, member_id) is None
    assert count(FocalPoint) == 0 and count(ThemeLeader) == 0
    assert count(User, User.email == "fp@example.org") == 1  # the person keeps their account
    assert "is deleted." in page(admin_client.get("/admin/members/"))


@pytest.fixture
def records_referring_to_members(app):
    """A table standing for the proposals and events that will refer to members."""
    db.session.execute(
        text(
            "CREATE TABLE test_member_refs (id INTEGER PRIMARY KEY, "
            "member_id INTEGER NOT NULL REFERENCES members (id))"
        )
    )
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("DROP TABLE test_member_refs"))
    db.session.commit()


def test_a_member_other_records_refer_to_is_not_deleted(admin_client, records_referring_to_members):
    member = make_focal_point().member
    member_id = member.id
    db.session.execute(
        text("INSERT INTO test_member_refs (id, member_id) VALUES (1, :member)"),
        {"member": member_id},
    )
    db.session.commit()
    response = admin_client.post(f"/admin/members/{member_id}/delete", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == f"/admin/members/{member_id}"
    assert "cannot be deleted: other records still refer to it" in page(response)
    assert db.session.get(Member, member_id) is not None
    assert count(FocalPoint) == 1


# Focal points ---------------------------------------------------------------------------


def test_an_existing_person_becomes_a_focal_point_and_is_told(admin_client):
    member = make_member("Mzalendo Trust")
    person = make_user(email="brian@example.org", name="Brian Otieno")
    response = admin_client.post(
        f"/admin/members/{member.id}/focal-points",
        data={"fp-email": " BRIAN@example.org "},
        follow_redirects=True,
    )
    assert "Brian Otieno is now a focal point of Mzalendo Trust" in page(response)
    assert (
        count(FocalPoint, FocalPoint.member_id == member.id, FocalPoint.user_id == person.id) == 1
    )
    assert [m.kind for m in outbox_to("brian@example.org")] == ["focal_point_added"]
    assert "brian@example.org" in page(admin_client.get(f"/admin/members/{member.id}"))


def test_a_new_person_is_invited_as_focal_point(admin_client):
    member = make_member("Poder Ciudadano")
    response = admin_client.post(
        f"/admin/members/{member.id}/focal-points",
        data={"fp-email": "valentina@example.org", "fp-name": "Valentina Gómez"},
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "valentina@example.org"))
    assert person.name == "Valentina Gómez" and person.password_hash is None
    assert [fp.member_id for fp in person.focal_points] == [member.id]
    [message] = outbox_to("valentina@example.org")
    assert message.kind == "focal_point_invitation"
    assert "Poder Ciudadano" in message.body_text


def test_an_unknown_address_without_a_name_asks_for_the_name(admin_client):
    member = make_member()
    response = admin_client.post(
        f"/admin/members/{member.id}/focal-points", data={"fp-email": "nobody@example.org"}
    )
    assert response.status_code == 422
    html = page(response)
    assert "give their name to invite them" in html or "Give the new person" in html
    assert 'value="nobody@example.org"' in html
    assert count(User, User.email == "nobody@example.org") == 0
    assert outbox_to("nobody@example.org") == []


def test_a_bad_address_for_a_new_focal_point_is_refused(admin_client):
    member = make_member()
    response = admin_client.post(
        f"/admin/members/{member.id}/focal-points",
        data={"fp-email": "not-an-address", "fp-name": "Someone"},
    )
    assert response.status_code == 422
    assert re.search(r'id="fp-email-error">\s*<li>Enter a valid e-mail address', page(response))
    assert count(FocalPoint) == 0 and count(User) == 1


def test_the_same_focal_point_twice_gets_a_clear_message(admin_client):
    focal_point = make_focal_point(user=make_user(email="camille@example.org", name="Camille"))
    member_id = focal_point.member_id
    response = admin_client.post(
        f"/admin/members/{member_id}/focal-points",
        data={"fp-email": "camille@example.org"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Camille is already a focal point of" in page(response)
    assert "flash-error" in page(response)
    assert count(FocalPoint) == 1
    assert outbox_to("camille@example.org") == []


def test_removing_a_focal_point_keeps_the_person(admin_client):
    focal_point = make_focal_point()
    member_id, user_id = focal_point.member_id, focal_point.user_id
    response = admin_client.post(f"/admin/members/{member_id}/focal-points/{user_id}/remove")
    assert response.status_code == 302
    assert count(FocalPoint) == 0
    assert db.session.get(User, user_id) is not None
    again = admin_client.post(f"/admin/members/{member_id}/focal-points/{user_id}/remove")
    assert again.status_code == 404


# People ---------------------------------------------------------------------------------


def test_people_are_searched_by_name_or_address_with_roles_and_state(admin_client):
    make_user(email="lucia@gob.example", name="Lucía Fernández", roles=["reviewer"])
    make_user(email="otro@example.org", name="Matías Rojas", confirmed=False)

    def rows(query):
        html = page(admin_client.get(f"/admin/people/?q={query}"))
        return re.findall(
            r'<tr>\s*<td><a href="/admin/people/\d+">([^<]+)</a></td>(.*?)</tr>', html, re.S
        )

    found = dict(rows("lucía"))
    assert list(found) == ["Lucía Fernández"]
    assert "Reviewer" in found["Lucía Fernández"] and "confirmed" in found["Lucía Fernández"]
    assert [name for name, _ in rows("GOB.EXAMPLE")] == ["Lucía Fernández"]
    matias = dict(rows("rojas"))
    assert "not confirmed yet" in matias["Matías Rojas"]
    assert [name for name, _ in rows("")] == ["Ada Admin", "Lucía Fernández", "Matías Rojas"]


def test_the_people_list_is_paginated(admin_client):
    for n in range(26):
        make_user(name=f"Person {n:02d}")
    first = page(admin_client.get("/admin/people/"))  # Ada Admin comes first
    assert "Person 23" in first and "Person 24" not in first
    second = page(admin_client.get("/admin/people/?page=2"))
    assert "Person 24" in second and "Person 25" in second and "Person 23" not in second


def test_a_persons_page_shows_the_members_they_speak_for(admin_client):
    focal_point = make_focal_point(member=make_member("City of Paris"))
    html = page(admin_client.get(f"/admin/people/{focal_point.user_id}"))
    assert f'href="/admin/members/{focal_point.member_id}">City of Paris</a>' in html


def test_an_administrator_grants_and_revokes_roles(admin_client, admin, user):
    response = admin_client.post(
        f"/admin/people/{user.id}/roles/reviewer/grant", follow_redirects=True
    )
    assert "now has the role Reviewer" in page(response)
    db.session.refresh(user)
    assert user.role_names == {"reviewer"}
    assert user.roles[0].granted_by_id == admin.id

    admin_client.post(f"/admin/people/{user.id}/roles/assessor/grant")
    response = admin_client.post(
        f"/admin/people/{user.id}/roles/reviewer/revoke", follow_redirects=True
    )
    assert "no longer has the role Reviewer" in page(response)
    db.session.refresh(user)
    assert user.role_names == {"assessor"}
    assert admin_client.post(f"/admin/people/{user.id}/roles/emperor/grant").status_code == 404


def test_administrators_cannot_remove_their_own_administrator_role(admin_client, admin):
    response = admin_client.post(
        f"/admin/people/{admin.id}/roles/admin/revoke", follow_redirects=True
    )
    assert "You cannot remove your own administrator role." in page(response)
    db.session.refresh(admin)
    assert admin.is_admin
    assert admin_client.get("/admin/").status_code == 200


def test_an_administrator_deactivates_and_reactivates_an_account(admin_client, admin, user):
    response = admin_client.post(f"/admin/people/{user.id}/deactivate", follow_redirects=True)
    assert "can no longer sign in" in page(response)
    db.session.refresh(user)
    assert not user.active
    admin_client.post(f"/admin/people/{user.id}/activate")
    db.session.refresh(user)
    assert user.active
    refused = admin_client.post(f"/admin/people/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in page(refused)
    db.session.refresh(admin)
    assert admin.active


# Themes ---------------------------------------------------------------------------------


def theme_form(**fields) -> dict:
    return {
        "slug": "open-data",
        "name_en": "Open data",
        "name_fr": "Données ouvertes",
        "name_es": "Datos abiertos",
        "parent_id": "",
        "description": "",
        "position": "0",
        **fields,
    }


def test_the_theme_tree_shows_themes_with_their_leaders(admin_client):
    db.session.add(ThemeLeader(theme=theme("open-justice"), member=make_member("Poder Ciudadano")))
    db.session.commit()
    html = page(admin_client.get("/admin/themes/"))
    slugs = re.findall(r"<code>([a-z-]+)</code>", html)
    assert slugs[:4] == [
        "open-state",
        "open-justice",
        "open-parliament",
        "independent-institutions",
    ]
    justice = html[html.index("open-justice") : html.index("open-parliament")]
    assert "Poder Ciudadano" in justice


def test_an_administrator_adds_a_sub_theme(admin_client):
    parent = theme("open-state")
    form = admin_client.get(f"/admin/themes/new?parent={parent.id}")
    assert f'<option selected value="{parent.id}">' in page(form)
    response = admin_client.post(
        "/admin/themes/new", data=theme_form(parent_id=parent.id, position="5")
    )
    created = theme("open-data")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/themes/{created.id}"
    assert (created.parent_id, created.name_fr, created.position) == (
        parent.id,
        "Données ouvertes",
        5,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "open-justice"}, "slug"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"name_fr": ""}, "name_fr"),
        ({"parent_id": "999999"}, "parent_id"),
        ({"position": "first"}, "position"),
    ],
)
def test_a_new_theme_with_bad_details_is_refused(admin_client, fields, field):
    before = count(Theme)
    response = admin_client.post("/admin/themes/new", data=theme_form(**fields))
    assert response.status_code == 422
    assert f'id="{field}-error"' in page(response)
    assert 'value="Datos abiertos"' in page(response)
    assert count(Theme) == before


def test_an_administrator_edits_a_theme(admin_client):
    youth = theme("youth")
    response = admin_client.post(
        f"/admin/themes/{youth.id}",
        data=theme_form(
            slug="youth-and-students",
            name_en="Youth and students",
            name_fr="Jeunesse",
            name_es="Juventud",
            parent_id=theme("open-state").id,
            description="Young people.",
            position="2",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(youth)
    assert (youth.slug, youth.name_en, youth.parent.slug, youth.description, youth.position) == (
        "youth-and-students",
        "Youth and students",
        "open-state",
        "Young people.",
        2,
    )


@pytest.mark.parametrize("new_parent", ["open-state", "open-justice"])
def test_a_theme_cannot_be_put_under_itself_or_its_sub_themes(admin_client, new_parent):
    open_state = theme("open-state")
    response = admin_client.post(
        f"/admin/themes/{open_state.id}",
        data=theme_form(slug="open-state", name_en="Renamed", parent_id=theme(new_parent).id),
    )
    assert response.status_code == 422
    assert "cannot be placed under itself" in page(response)
    assert 'value="Renamed"' in page(response)
    db.session.refresh(open_state)
    assert (open_state.parent_id, open_state.name_en) == (None, "Open State")


def test_an_administrator_adds_and_removes_thematic_leaders(admin_client):
    justice = theme("open-justice")
    government = make_member("Government of Argentina")
    society = make_member("Poder Ciudadano", kind=MemberKind.CIVIL_SOCIETY)
    url = f"/admin/themes/{justice.id}/leaders"
    before = page(admin_client.get(f"/admin/themes/{justice.id}"))
    assert f'<option value="{society.id}">Poder Ciudadano</option>' in before

    response = admin_client.post(url, data={"member_id": government.id}, follow_redirects=True)
    assert "Government of Argentina now leads the theme Open justice." in page(response)
    admin_client.post(url, data={"member_id": society.id})
    admin_client.post(url, data={"member_id": society.id})  # twice is still once
    assert {leader.member_id for leader in justice.leaders} == {government.id, society.id}
    assert count(ThemeLeader) == 2
    after = page(admin_client.get(f"/admin/themes/{justice.id}"))
    assert ">Poder Ciudadano</option>" not in after  # already a leader: not offered

    assert admin_client.post(url, data={"member_id": ""}).status_code == 422
    assert admin_client.post(url, data={"member_id": "999999"}).status_code == 404

    admin_client.post(f"/admin/themes/{justice.id}/leaders/{government.id}/remove")
    db.session.refresh(justice)
    assert [leader.member_id for leader in justice.leaders] == [society.id]
    again = admin_client.post(f"/admin/themes/{justice.id}/leaders/{government.id}/remove")
    assert again.status_code == 404


def test_a_theme_with_sub_themes_is_not_deleted(admin_client):
    open_state = theme("open-state")
    confirm = page(admin_client.get(f"/admin/themes/{open_state.id}/delete"))
    assert "This theme has sub-themes" in confirm
    response = admin_client.post(f"/admin/themes/{open_state.id}/delete", follow_redirects=True)
    assert response.request.path == f"/admin/themes/{open_state.id}"
    assert "Move or delete this theme&#39;s sub-themes first." in page(response)
    assert theme("open-state") is not None and theme("open-justice").parent_id == open_state.id


def test_deleting_a_theme_removes_its_leaders(admin_client):
    youth = theme("youth")
    db.session.add(ThemeLeader(theme=youth, member=make_member()))
    db.session.commit()
    response = admin_client.post(f"/admin/themes/{youth.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/themes/"
    assert theme("youth") is None
    assert count(ThemeLeader) == 0 and count(Member) == 1


# Outbox and escaping --------------------------------------------------------------------


def test_the_outbox_shows_failures_and_retries_them(admin_client):
    db.session.add_all(
        [
            OutboxMessage(
                to_address="failed@example.org",
                subject="Hello",
                body_text="b",
                kind="confirm_email",
                status=MessageStatus.FAILED,
                attempts=5,
                last_error="SMTPRecipientsRefused: mailbox <full>",
            ),
            OutboxMessage(
                to_address="sent@example.org",
                subject="Hi",
                body_text="b",
                kind="k",
                status=MessageStatus.SENT,
                attempts=1,
            ),
        ]
    )
    db.session.commit()
    html = page(admin_client.get("/admin/outbox/"))
    assert "failed@example.org" in html and "sent@example.org" in html
    assert "SMTPRecipientsRefused: mailbox &lt;full&gt;" in html
    failed = page(admin_client.get("/admin/outbox/?status=failed"))
    assert "failed@example.org" in failed and "sent@example.org" not in failed
    assert "1 found." in failed

    response = admin_client.post("/admin/outbox/retry", follow_redirects=True)
    assert "1 failed message will be tried again." in page(response)
    [message] = outbox_to("failed@example.org")
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)


def test_html_in_names_is_shown_escaped(admin_client):
    raw = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    response = admin_client.post(
        "/admin/members/new",
        data={"name": f"{raw} Trust", "kind": "civil_society", "country": "FR"},
    )
    member = member_named(f"{raw} Trust")
    person = make_user(name=f"{raw} Person")
    db.session.add(FocalPoint(member=member, user=person))
    db.session.add(ThemeLeader(theme=theme("youth"), member=member))
    db.session.commit()
    admin_client.post("/admin/themes/new", data=theme_form(name_en=f"{raw} Theme"))
    pages = [
        admin_client.get(response.headers["Location"]),  # carries the flash message too
        admin_client.get("/admin/members/"),
        admin_client.get(f"/admin/members/{member.id}/delete"),
        admin_client.get("/admin/people/"),
        admin_client.get(f"/admin/people/{person.id}"),
        admin_client.get("/admin/themes/"),
        admin_client.get(f"/admin/themes/{theme('open-data').id}"),
    ]
    for shown in pages:
        html = page(shown)
        assert raw not in html, shown.request.path
        assert escaped in html, shown.request.path


def test_roles_granted_here_open_the_admin_area(client, auth, admin_client, user):
    admin_client.post(f"/admin/people/{user.id}/roles/admin/grant")
    auth.sign_out()
    auth.sign_in(user.email)
    assert client.get("/admin/").status_code == 200
    assert db.session.get(User, user.id).has_role(Role.ADMIN)


def test_every_form_of_the_admin_area_carries_a_csrf_token(make_app, admin, ids):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()

    def token_in(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    client.post(
        "/sign-in",
        data={
            "email": admin.email,
            "password": PASSWORD,
            "csrf_token": token_in(page(client.get("/sign-in"))),
        },
    )
    for url in PAGES:
        html = page(client.get(url.format(**ids)))
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert len(forms) >= 2, url  # at least the page's own and the language switch
        for form in forms:
            assert re.search(r'name="(fp-)?csrf_token"[^>]*value="[^"]+"', form), (url, form)

    member_page = page(client.get(f"/admin/members/{ids['member']}"))
    refused = client.post(f"/admin/members/{ids['member']}/delete")
    assert refused.status_code == 400
    assert db.session.get(Member, ids["member"]) is not None
    accepted = client.post(
        f"/admin/members/{ids['member']}/delete", data={"csrf_token": token_in(member_page)}
    )
    assert accepted.status_code == 302
    assert db.session.get(Member, ids["member"]) is None
