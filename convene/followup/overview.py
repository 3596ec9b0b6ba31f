"""Follow-up dashboards for a theme, a member and the whole partnership, and the CSV
exports of every dashboard's commitments. The event's dashboard is its follow-up page."""

from flask import render_template, url_for
from flask_login import current_user

from ..caching import cached_page
from ..downloads import csv_download
from ..paging import page_of
from ..services import dashboards, events, followup, members, themes
from .charts import charts_for
from .views import DASHBOARD_SECONDS, PER_PAGE, bp


def _page(dash, kind: str, subject=None, csv_url: str = ""):
    return render_template(
        "followup/dashboard.html",
        dash=dash,
        # Thousands of commitments: the table is paged, the CSV has them all.
        rows=page_of(dash.commitments, PER_PAGE),
        charts=charts_for(dash),
        kind=kind,
        subject=subject,
        csv_url=csv_url,
    )


def _csv(dash, name: str) -> tuple[str, str]:
    return f"{name}-follow-up", followup.export_csv(dash.commitments)


@bp.route("/follow-up/")
@cached_page(seconds=DASHBOARD_SECONDS)
def overview():
    return _page(dashboards.overall(), "overall", csv_url=url_for(".overview_csv"))


@bp.route("/themes/<slug>/follow-up")
@cached_page(seconds=DASHBOARD_SECONDS)
def theme(slug: str):
    found = themes.get_theme_by_slug(slug)
    return _page(dashboards.for_theme(found), "theme", found, url_for(".theme_csv", slug=slug))


@bp.route("/members/<slug>/follow-up")
@cached_page(seconds=DASHBOARD_SECONDS)
def member(slug: str):
    found = members.get_member_by_slug(slug)
    return _page(dashboards.for_member(found), "member", found, url_for(".member_csv", slug=slug))


@bp.route("/follow-up/commitments.csv")
@csv_download(private=False)
def overview_csv():
    return _csv(dashboards.overall(), "all")


@bp.route("/events/<slug>/follow-up.csv")
@csv_download(private=False)
def event_csv(slug: str):
    return _csv(dashboards.for_event(events.get_event(current_user, slug)), slug)


@bp.route("/themes/<slug>/follow-up.csv")
@csv_download(private=False)
def theme_csv(slug: str):
    return _csv(dashboards.for_theme(themes.get_theme_by_slug(slug)), slug)


@bp.route("/members/<slug>/follow-up.csv")
@csv_download(private=False)
def member_csv(slug: str):
    return _csv(dashboards.for_member(members.get_member_by_slug(slug)), slug)
