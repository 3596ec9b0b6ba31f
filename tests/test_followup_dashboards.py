"""Follow-up dashboards: what they count (on a fixed day), the pages that draw them as SVG
with a table under each chart, the CSV exports, and their query counts."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event

from convene.extensions import db
from convene.models import Commitment, CommitmentStatus, ProgressUpdate, Theme
from convene.services import dashboards, followup
from convene.services.followup import CommitmentInput, UpdateInput

from .factories import make_event, make_focal_point, make_member, make_user, theme_ids


@pytest.fixture
def world(app):
    class World:
        pass

    w = World()
    w.organiser = make_user(name="Olga Organiser")
    w.owner = make_member(name="Government of Testland")
    w.other = make_member(name="Civic Lab")
    w.focal_point = make_focal_point(w.owner).user
    w.other_focal_point = make_focal_point(w.other).user
    w.assessor = make_user(roles=["assessor"])
    w.event = make_event(
        organisers=[w.organiser], starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), days=0
    )
    w.event.hosts = [w.owner, w.other]
    db.session.commit()
    return w


def commit_to(world, title, member=None, due=date(2027, 12, 31), themes=()):
    commitment = followup.create_commitment(
        world.organiser,
        world.event,
        CommitmentInput(
            member_id=(member or world.owner).id,
            title=title,
            due_date=due,
            theme_ids=theme_ids(*themes),
        ),
    )
    db.session.commit()
    return commitment


def report(world, commitment, status, on, by=None):
    followup.post_update(
        by or world.focal_point, commitment, UpdateInput(status=status, reported_on=on)
    )
    db.session.commit()


def test_counts_shares_overdue_and_differences(world):
    done = commit_to(world, "Publish court decisions")
    late = commit_to(world, "Open registers", due=date(2026, 3, 1))
    commit_to(world, "Train judges", member=world.other)
    report(world, done, "limited", date(2026, 2, 1))
    report(world, done, "completed", date(2026, 4, 15))
    report(world, late, "limited", date(2026, 2, 20))
    followup.assess(world.assessor, done, "substantial", "Two courts of five publish.")
    db.session.commit()

    dash = dashboards.for_event(world.event, today=date(2026, 5, 10))

    by_status = {row.status.value: row for row in dash.statuses}
    assert dash.total == 3 and dash.completed == 1
    assert by_status["completed"].self_count == 1
    assert by_status["completed"].self_share == pytest.approx(1 / 3)
    assert by_status["not_started"].self_count == 1 and by_status["limited"].self_count == 1
    assert by_status["substantial"].assessed_count == 1
    assert by_status["substantial"].assessed_share == 1.0 and dash.assessed_total == 1
    assert [c.title for c in dash.overdue] == ["Open registers"]
    assert dash.differing == 1
    members = {row.key.name: (row.total, row.completed, row.overdue) for row in dash.by_member}
    assert members == {"Government of Testland": (2, 1, 1), "Civic Lab": (1, 0, 0)}


def test_completion_over_time_counts_what_was_reported_by_each_month_end(world):
    first = commit_to(world, "Publish court decisions")
    second = commit_to(world, "Open registers")
    report(world, first, "completed", date(2026, 2, 27))
    report(world, second, "completed", date(2026, 3, 2))
    report(world, second, "limited", date(2026, 4, 1))  # a report can go back

    points = dashboards.for_event(world.event, today=date(2026, 4, 20)).over_time

    assert [p.month for p in points] == [date(2026, m, 1) for m in (1, 2, 3, 4)]
    assert [p.total for p in points] == [2, 2, 2, 2]
    assert [p.completed_self for p in points] == [0, 1, 2, 1]
    assert [p.completed_assessed for p in points] == [0, 0, 0, 0]


def test_over_time_keeps_the_last_two_years(app):
    commitment = Commitment(title="Old", due_date=date(2030, 1, 1), member=make_member())
    commitment.event = make_event(starts_at=datetime(2020, 1, 10, tzinfo=UTC), days=0)
    commitment.updates = [
        ProgressUpdate(status=CommitmentStatus.COMPLETED, reported_on=date(2021, 6, 1))
    ]

    points = dashboards.build([commitment], today=date(2026, 5, 1)).over_time

    assert len(points) == dashboards.MONTHS_SHOWN
    assert points[-1].month == date(2026, 5, 1) and points[0].month == date(2024, 6, 1)
    assert all(p.completed_self == 1 for p in points)


def test_theme_dashboard_includes_sub_themes_and_leaves_drafts_out(world):
    commit_to(world, "Court data", themes=["open-justice"])
    commit_to(world, "Audit reports", themes=["independent-institutions"])
    commit_to(world, "Contracts", themes=["open-contracting"])
    draft = make_event(title="Draft forum", status="draft", organisers=[world.organiser])
    followup.create_commitment(
        world.organiser,
        draft,
        CommitmentInput(
            member_id=world.owner.id,
            title="Hidden",
            due_date=draft.starts_at.date() + timedelta(days=365),
            theme_ids=theme_ids("open-justice"),
        ),
    )
    db.session.commit()
    open_state = db.session.query(Theme).filter_by(slug="open-state").one()

    titles = {c.title for c in dashboards.for_theme(open_state).commitments}

    assert titles == {"Court data", "Audit reports"}
    assert "Hidden" not in {c.title for c in dashboards.overall().commitments}
    assert "Hidden" not in {c.title for c in dashboards.for_member(world.owner).commitments}


def test_event_page_draws_charts_with_tables_under_them(client, world):
    done = commit_to(world, "Publish <b>court</b> decisions")
    report(world, done, "completed", date(2026, 2, 1))

    page = client.get(f"/events/{world.event.slug}/follow-up").get_data(as_text=True)

    assert page.count('<svg class="chart"') == 2
    assert 'role="img"' in page and 'aria-describedby="by-status-table"' in page
    assert 'id="by-status-table"' in page and 'id="over-time-table"' in page
    assert "<script" not in page.split("<main", 1)[1]  # readable without JavaScript
    assert "Publish &lt;b&gt;court&lt;/b&gt; decisions" in page
    assert f"/events/{world.event.slug}/follow-up.csv" in page


@pytest.mark.parametrize("kind", ["overall", "theme", "member"])
def test_dashboard_pages(client, world, kind):
    commit_to(world, "Court data", themes=["open-justice"])
    commit_to(world, "Civic data", member=world.other, themes=["youth"])
    url = {
        "overall": "/follow-up/",
        "theme": "/themes/open-justice/follow-up",
        "member": f"/members/{world.owner.slug}/follow-up",
    }[kind]

    response = client.get(url)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Court data" in page
    assert ("Civic data" in page) is (kind == "overall")
    assert page.count('<svg class="chart"') == 2
    assert f"{url.rstrip('/')}{'/commitments' if kind == 'overall' else ''}.csv" in page


@pytest.mark.parametrize(
    "url", ["/themes/nothing/follow-up", "/members/nobody/follow-up", "/events/no/follow-up.csv"]
)
def test_unknown_subjects_are_404(client, world, url):
    assert client.get(url).status_code == 404


def test_empty_dashboard_says_so(client, world):
    page = client.get(f"/members/{world.owner.slug}/follow-up").get_data(as_text=True)
    assert "No commitments recorded yet." in page and "<svg" not in page


def test_csv_export_has_latest_update_and_assessment_and_is_formula_safe(client, world):
    commitment = commit_to(world, '=HYPERLINK("http://x")')
    report(world, commitment, "limited", date(2026, 2, 1))
    report(world, commitment, "substantial", date(2026, 3, 1))
    followup.assess(world.assessor, commitment, "limited", "Slower than reported.")
    db.session.commit()

    response = client.get(f"/events/{world.event.slug}/follow-up.csv")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["title"].startswith("'=")
    assert (row["self_reported"], row["reported_on"]) == ("substantial", "2026-03-01")
    assert (row["assessed"], row["differs"]) == ("limited", "yes")


def test_dashboards_query_count_does_not_grow(client, world):
    def count(n):
        for i in range(n):
            c = Commitment(
                event=world.event,
                member=world.owner if i % 2 else world.other,
                title=f"Commitment {i}",
                due_date=date(2026, 1, 20) + timedelta(days=i),
                approved_at=datetime(2026, 1, 11, tzinfo=UTC),
                themes=[db.session.get(Theme, theme_ids("youth")[0])],
            )
            c.updates = [
                ProgressUpdate(status=CommitmentStatus.LIMITED, reported_on=date(2026, 1, 12))
            ]
            db.session.add(c)
        db.session.commit()
        counts = {}
        for url in (
            f"/events/{world.event.slug}/follow-up",
            "/follow-up/",
            "/themes/youth/follow-up",
            f"/members/{world.owner.slug}/follow-up",
        ):
            statements = []

            def listener(*args, seen=statements):
                seen.append(args[2])

            sa_event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get(url).status_code == 200
            finally:
                sa_event.remove(db.engine, "before_cursor_execute", listener)
            counts[url] = len(statements)
        db.session.query(ProgressUpdate).delete()
        db.session.query(Commitment).delete()
        db.session.commit()
        return counts

    assert count(5) == count(200)
