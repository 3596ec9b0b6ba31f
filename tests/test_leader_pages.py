"""The public pages of the leadership programme: the current leaderships by theme with the
open calls, one leadership, one call; who is shown and who is not."""

import re

import pytest

from convene.extensions import db
from convene.models import CallStatus, LeadershipPerson, LeadershipStatus, Sector

from .leaders_data import LeaderCast, make_call, make_leadership
from .test_query_counts import statements

# Any e-mail address at all: none is ever shown on these pages.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def add_individual(leadership, name, shown, email):
    leadership.people.append(
        LeadershipPerson(
            name=name,
            email=email,
            affiliation=f"{name}'s institute",
            sector=Sector.CIVIL_SOCIETY,
            country="BR",
            shown_publicly=shown,
        )
    )
    db.session.commit()


@pytest.fixture
def world(app):
    """A leadership with two members, an individual who consented and one who did not;
    an ended leadership; an open call, a closed one and a draft."""
    cast = LeaderCast()
    current = make_leadership(cast, name="Open Justice Leaders")
    add_individual(current, "Vera Visible", True, "vera@example.org")
    add_individual(current, "Hugo Hidden", False, "hugo@example.org")
    ended = make_leadership(cast, name="Former Leaders", status=LeadershipStatus.ENDED)
    add_individual(ended, "Hana Hidden", False, "hana@example.org")
    open_call = make_call(
        title="Leaders for open justice",
        description="Groups that open the courts.",
        who_may_apply="Members working on justice.",
        translations={"fr": {"title": "Leaders pour la justice ouverte"}},
    )
    closed = make_call(title="An earlier call", status=CallStatus.CLOSED)
    draft = make_call(title="A call in the making", status=CallStatus.DRAFT)
    return dict(cast=cast, current=current, ended=ended, open=open_call, closed=closed, draft=draft)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def assert_private(body: str) -> None:
    assert "Hugo Hidden" not in body and "Hana Hidden" not in body
    assert EMAIL.search(body) is None, EMAIL.search(body)


def test_the_index_lists_current_leaderships_by_theme_and_open_calls(client, world):
    body = page(client, "/leaders/")
    assert "Open Justice Leaders" in body and f"/leaders/{world['current'].slug}" in body
    assert "Former Leaders" not in body  # ended: not current
    assert "Government of Testland" in body and "Citizens for Openness" in body
    assert "Vera Visible" in body and "Vera Visible&#39;s institute" in body
    assert world["current"].theme.name("en") in body
    assert "Leaders for open justice" in body and f"/leaders/calls/{world['open'].id}" in body
    assert "An earlier call" not in body and "A call in the making" not in body
    assert_private(body)


def test_the_index_says_when_there_is_nothing(client, app):
    body = page(client, "/leaders/")
    assert "No leaderships at the moment." in body
    assert "No call for leaders is open at the moment." in body


def test_the_index_names_the_theme_in_the_readers_language(client, world):
    theme = world["current"].theme
    body = client.get("/leaders/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert theme.name("fr") in body
    assert "Leaders pour la justice ouverte" in body


def test_a_leadership_shows_who_its_term_and_status(client, world):
    body = page(client, f"/leaders/{world['current'].slug}")
    assert "Open Justice Leaders" in body and "Active" in body
    assert "Government of Testland" in body and "Vera Visible" in body
    assert world["current"].term_ends_on.strftime("%Y") in body
    assert_private(body)


def test_an_ended_leadership_has_its_page(client, world):
    body = page(client, f"/leaders/{world['ended'].slug}")
    assert "Former Leaders" in body and "Ended" in body
    assert_private(body)


def test_a_call_shows_its_text_dates_term_and_weighted_criteria(client, world):
    body = page(client, f"/leaders/calls/{world['open'].id}")
    assert "Leaders for open justice" in body and "Groups that open the courts." in body
    assert "Members working on justice." in body
    assert "A proven record of reform" in body and "weight 3" in body
    assert "Reach across the region" in body and "weight 1" in body
    assert world["open"].term_ends_on.strftime("%Y") in body
    assert_private(body)


def test_a_call_in_french(client, world):
    body = client.get(
        f"/leaders/calls/{world['open'].id}", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "Leaders pour la justice ouverte" in body
    # The untranslated description says which language it is in.
    assert 'lang="en"' in body


def test_a_closed_call_is_public(client, world):
    assert "An earlier call" in page(client, f"/leaders/calls/{world['closed'].id}")


def test_a_draft_call_is_for_administrators_only(client, auth, world):
    url = f"/leaders/calls/{world['draft'].id}"
    assert client.get(url).status_code == 404
    auth.sign_in(world["cast"].gov_focal.email)
    assert client.get(url).status_code == 404
    auth.sign_out()
    auth.sign_in(world["cast"].admin.email)
    assert "A call in the making" in page(client, url)


def test_text_is_escaped(client, world):
    world["open"].title = "<script>alert(1)</script>"
    world["current"].people[2].name = "<b>Vera</b>"
    db.session.commit()
    assert "<script>alert(1)" not in page(client, f"/leaders/calls/{world['open'].id}")
    body = page(client, "/leaders/")
    assert "<script>alert(1)" not in body and "<b>Vera</b>" not in body


@pytest.mark.parametrize("url", ["/leaders/no-such-leaders", "/leaders/calls/999999"])
def test_unknown_slug_or_id_is_404(client, app, url):
    assert client.get(url).status_code == 404


def test_the_index_queries_do_not_grow_with_the_leaderships(client, app):
    cast = LeaderCast()
    for _ in range(2):
        add_individual(make_leadership(cast), "Vera Visible", True, "vera@example.org")
    make_call()
    few = statements(client, "/leaders/")
    for _ in range(8):
        add_individual(make_leadership(cast), "Vera Visible", True, "vera@example.org")
        make_call()
    assert statements(client, "/leaders/") == few
