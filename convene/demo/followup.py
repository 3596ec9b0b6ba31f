"""The demo's follow-up: a dozen commitments of the completed event, in every status, with
histories, assessments that agree and some that differ, and overdue ones."""

from datetime import timedelta

from ..models import Event, Member, utcnow
from ..policy import SYSTEM
from ..services import accounts, followup, themes
from .people import demo_email

# (owner, title, months after the event it is due, self-reports over time, assessment)
DEMO_COMMITMENTS = [
    (
        "Government of Chile",
        "Publish every court decision in open data",
        6,
        ["limited", "substantial"],
        "substantial",
    ),
    (
        "Government of Chile",
        "A single portal for access-to-information requests",
        3,
        ["substantial", "completed"],
        "completed",
    ),
    (
        "Poder Ciudadano",
        "Train 200 journalists to read judicial statistics",
        4,
        ["limited", "completed"],
        "substantial",
    ),
    (
        "Government of Argentina",
        "Open the judiciary's budget, line by line",
        1,
        ["not_started", "limited"],
        "limited",
    ),
    (
        "Government of Argentina",
        "Beneficial ownership of contractors in procurement",
        -1,
        ["not_started"],
        None,
    ),
    (
        "City of Buenos Aires",
        "Publish local court waiting times monthly",
        2,
        ["limited"],
        "not_started",
    ),
    ("Government of France", "Open legal aid statistics", 8, ["substantial"], "substantial"),
    (
        "Government of Kenya",
        "Hearing schedules online in every county court",
        -1,
        ["limited"],
        "limited",
    ),
    (
        "Mzalendo Trust",
        "Citizen scorecards for parliamentary committees",
        5,
        ["completed"],
        "completed",
    ),
    (
        "Government of Senegal",
        "Translate court rulings into Wolof and Pulaar",
        9,
        ["withdrawn"],
        None,
    ),
    (
        "Transparence Citoyenne",
        "Independent review of the open-justice action plan",
        7,
        ["not_started"],
        None,
    ),
    (
        "Government of Indonesia",
        "Open data on the handling of corruption cases",
        2,
        ["limited", "substantial"],
        "limited",
    ),
]


def load_followup(event: Event, by_name: dict[str, Member]) -> None:
    """DEMO_COMMITMENTS made on `event` (their owners become its hosts), reported on and
    assessed."""
    assessor = accounts.find_user_by_email(demo_email("assessor"))
    event.hosts = list({*event.hosts, *(by_name[o] for o, *_rest in DEMO_COMMITMENTS)})
    ended = event.ends_at.date()
    for owner, title, months, reports, rating in DEMO_COMMITMENTS:
        member = by_name[owner]
        commitment = followup.create_commitment(
            SYSTEM,
            event,
            followup.CommitmentInput(
                member_id=member.id,
                title=title,
                theme_ids=[themes.get_theme_by_slug("open-justice").id],
                due_date=max(ended, ended + timedelta(days=30 * months)),
                description=f"{owner} commits: {title.lower()}.",
                action_plan_ref="https://www.example.org/action-plans/2026#justice",
            ),
        )
        if months < 0:  # already due: overdue unless reported completed
            commitment.due_date = ended + timedelta(days=10)
        reporter = member.focal_points[0].user
        for step, status in enumerate(reports):
            followup.post_update(
                reporter,
                commitment,
                followup.UpdateInput(
                    status=status,
                    narrative=f"Progress report {step + 1}: {status.replace('_', ' ')}.",
                    evidence_links=["https://www.example.org/evidence"]
                    if status != "not_started"
                    else [],
                    reported_on=min(ended + timedelta(days=7 * (step + 1)), utcnow().date()),
                ),
            )
        if rating:
            followup.assess(
                assessor,
                commitment,
                rating,
                "Checked against the published evidence and interviews.",
            )
