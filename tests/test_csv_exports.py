"""Every CSV convene answers, found from the URL map (so one added later is checked too):
UTF-8 with a byte-order mark for Excel, accented names intact, formulas neutralised,
offered as a download."""

import csv
import io
import re
from pathlib import Path

import pytest

from convene.extensions import db
from convene.services import followup
from convene.services.followup import CommitmentInput, UpdateInput
from convene.services.registration import register

from .factories import make_event, make_focal_point, make_member, make_user, registration_input
from .factories import theme_ids as theme_ids_of

ACCENTED = {
    "event": "Forum de la justice ouverte à Séville",
    "member": "Ministère de la Justice de Côte d’Ivoire",
    "person": "Zoë Müller-Núñez",
    "commitment": "Accès à la justice pour tous",
}
# A cell a spreadsheet would run, in every kind of export.
FORMULA = '=HYPERLINK("http://evil.example")'
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.person = make_user(name=ACCENTED["person"])
    w.member = make_member(name=ACCENTED["member"], slug="cote-divoire")
    make_focal_point(w.member, w.person)
    w.event = make_event(title=ACCENTED["event"], organisers=[w.person], slug="sevilla")
    w.event.hosts = [w.member]
    db.session.commit()
    register(
        w.event,
        registration_input(name=ACCENTED["person"], organisation=FORMULA),
        actor=w.person,
    )
    for title in (ACCENTED["commitment"], FORMULA):
        commitment = followup.create_commitment(
            w.person,
            w.event,
            CommitmentInput(
                member_id=w.member.id,
                title=title,
                due_date=w.event.starts_at.date().replace(year=w.event.starts_at.year + 1),
                theme_ids=theme_ids_of("open-justice"),
            ),
        )
        followup.post_update(
            w.person,
            commitment,
            UpdateInput(status="limited", narrative="-1+1"),
        )
    db.session.commit()
    return w


def csv_rules(app) -> list:
    """Every GET route whose path is a .csv file or whose view is a CSV download."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ())
            and (
                rule.rule.endswith(".csv")
                or getattr(app.view_functions[rule.endpoint], "csv_download", False)
            )
        ),
        key=lambda rule: rule.rule,
    )


def fill(rule, world) -> str:
    """The rule's path for the world's event, theme or member: a new kind of argument
    fails here, asking for a value, rather than leaving its CSV unchecked."""
    owners = {
        "events": world.event.slug,
        "themes": "open-justice",
        "members": world.member.slug,
    }
    values = {}
    for name in rule.arguments:
        first = rule.rule.strip("/").split("/")[0]
        if name == "slug" and first in owners:
            values[name] = owners[first]
        else:
            pytest.fail(f"Give test_csv_exports.fill a value for <{name}> in {rule.rule}")
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_the_url_map_has_the_csv_exports_we_know(app):
    found = {rule.rule for rule in csv_rules(app)}
    assert {
        "/events/<slug>/participants.csv",
        "/events/<slug>/follow-up.csv",
        "/themes/<slug>/follow-up.csv",
        "/members/<slug>/follow-up.csv",
        "/follow-up/commitments.csv",
        "/me/commitments.csv",
    } <= found


def test_every_csv_is_utf8_with_a_bom_and_safe_to_open(app, client, auth, world):
    auth.sign_in(world.person.email)
    for rule in csv_rules(app):
        path = fill(rule, world)
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "text/csv", path
        assert response.mimetype_params.get("charset") == "utf-8", path
        disposition = response.headers.get("Content-Disposition", "")
        assert disposition.startswith("attachment; filename=") and disposition.endswith('.csv"'), (
            path
        )
        body = response.data
        assert body.startswith(BOM), f"{path} lacks the byte-order mark Excel needs"
        assert not body.startswith(BOM * 2), path
        text = body.decode("utf-8")  # strict: a stray Latin-1 byte fails here
        assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), path
        cells = [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]
        assert any(value in cells for value in ACCENTED.values()), path
        assert FORMULA not in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_no_view_answers_csv_but_through_the_one_helper():
    """A CSV written by hand elsewhere would escape the checks above."""
    root = Path(__file__).resolve().parent.parent / "convene"
    writers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "text/csv" in path.read_text(encoding="utf-8")
    )
    assert writers == ["downloads.py"]
