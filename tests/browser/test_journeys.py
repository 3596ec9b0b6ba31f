"""The main journeys, end to end in Chromium, as people make them: signing up, proposing
and accepting an event, publishing it and building its agenda, registering through the
waiting list, starring sessions into a private calendar, reporting progress.

Each test makes what it needs (its own people, its own event or proposal) beside the demo,
so any one of them can run alone and in any order.
"""

import re
from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from convene import demo
from convene.extensions import db
from convene.models import Event, EventStatus, Member, OutboxMessage, Proposal
from convene.policy import SYSTEM
from convene.services import accounts, themes
from convene.services import events as event_service
from convene.services import proposals as proposal_service

from .conftest import screenshot

CONFIRM_LINK = re.compile(r"https?://\S+/confirm/\S+")
# Events made by the tests start this many days from today, at 09:00 in their timezone.
DAYS_AHEAD = 60


@pytest.fixture(autouse=True)
def no_broken_pages(page):
    """Every journey also fails on a server error or a JavaScript error along the way."""
    broken = []
    page.on("pageerror", lambda error: broken.append(f"JavaScript: {error}"))
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    yield
    assert not broken, broken


# Helpers --------------------------------------------------------------------------------


def flashes(page):
    return page.locator(".flashes")


def fill_sign_in(page, email: str, password: str = demo.DEMO_PASSWORD) -> None:
    """Fill the sign-in form on the page shown (maybe reached through a redirect)."""
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def become(page, site, email: str) -> None:
    """Sign out whoever is signed in, and sign in as `email`."""
    page.context.clear_cookies()
    page.goto(f"{site.url}/sign-in")
    fill_sign_in(page, email)
    expect(flashes(page)).to_contain_text("Welcome")


def make_person(site, name: str) -> str:
    """A new confirmed account with the demo password; returns its e-mail address."""
    email = f"{name.split()[0].lower()}-{uuid4().hex[:6]}@example.org"
    with site.app.app_context():
        accounts.create_user(email, name, demo.DEMO_PASSWORD, confirmed=True)
        db.session.commit()
    return email


def make_event(site, title: str, hosts: list[str], *, publish: bool = False) -> str:
    """An event made as an administrator would (through the API), in draft unless
    `publish`; its organisers are the hosts' focal points. Returns its slug."""
    start = datetime.combine(date.today() + timedelta(days=DAYS_AHEAD), time(9))
    with site.app.app_context():
        host_ids = db.session.scalars(select(Member.id).where(Member.name.in_(hosts))).all()
        event = event_service.create_event(
            SYSTEM,
            event_service.EventInput(
                title=title,
                description=f"{title}: members meet to raise the ambition of their commitments.",
                theme_ids=[themes.get_theme_by_slug("inclusion-civic-space").id],
                format="in_person",
                starts_at=start,
                ends_at=start + timedelta(days=1, hours=8),
                timezone="America/Toronto",
                city="Ottawa",
                country="CA",
                venue="Shaw Centre",
                languages=["en", "fr"],
            ),
            host_ids,
        )
        if publish:
            event_service.publish(SYSTEM, event)
        db.session.commit()
        return event.slug


def outbox_to(site, address: str, containing: str = "") -> list[OutboxMessage]:
    with site.app.app_context():
        messages = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
    return [m for m in messages if containing in m.body_text or containing in m.subject]


def local(day: date, hour: int, minute: int = 0) -> str:
    """A datetime-local field's value."""
    return datetime.combine(day, time(hour, minute)).strftime("%Y-%m-%dT%H:%M")


# 1. Sign up and confirm -----------------------------------------------------------------


def test_sign_up_confirm_and_sign_in(site, page):
    email = f"nadia-{uuid4().hex[:6]}@example.org"
    password = "a-long-walk-by-the-river-7"
    page.goto(f"{site.url}/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Create an account"
    ).click()
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_role("main")).to_contain_text(f"We have sent a message to {email}")

    # Not confirmed yet: signing in is refused, and says why.
    page.goto(f"{site.url}/sign-in")
    fill_sign_in(page, email, password)
    expect(page.get_by_role("alert")).to_contain_text("Please confirm your e-mail address first")

    (message,) = outbox_to(site, email)
    link = CONFIRM_LINK.search(message.body_text).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    page.get_by_role("button", name="Confirm my address").click()
    expect(flashes(page)).to_contain_text("Thank you, your e-mail address is confirmed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    fill_sign_in(page, email, password)
    expect(flashes(page)).to_contain_text("Welcome, Nadia Haddad.")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Nadia Haddad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_label("Full name")).to_have_value("Nadia Haddad")

    # The link works once.
    page.goto(link)
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.locator(".flash-error")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("New confirmation link")


# 2. Propose, co-host, review and accept -------------------------------------------------


def test_propose_cohost_review_and_accept(site, page):
    title = "Open courts, open data: a regional exchange"
    proposer = demo.demo_email("government-of-argentina")
    cohost = demo.demo_email("poder-ciudadano")
    start = date.today() + timedelta(days=200)

    become(page, site, proposer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Proposals").click()
    page.get_by_role("link", name="Propose an event").click()
    expect(page.get_by_label("On behalf of")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary", exact=True).fill(
        "Courts of the region publish their decisions as open data."
    )
    page.get_by_label("Objectives", exact=True).select_option(label="Both")
    page.get_by_label("Open justice", exact=True).check()  # a sub-theme of Open State
    page.get_by_label("Format", exact=True).select_option(label="In person")
    page.get_by_label("Starts", exact=True).fill(local(start, 9))
    page.get_by_label("Ends", exact=True).fill(local(start + timedelta(days=1), 17))
    page.get_by_label("Timezone of the event").select_option("America/Argentina/Cordoba")
    page.get_by_label("City", exact=True).fill("Córdoba")
    page.get_by_label("Country", exact=True).select_option(label="Argentina")
    page.get_by_label("Expected number of participants").fill("120")
    page.get_by_label("Audience", exact=True).fill(
        "Judges, court clerks, journalists and civil society"
    )
    page.get_by_label("Spanish", exact=True).check()
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Co-hosts").select_option(label="Poder Ciudadano")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "proposal-filled")
    page.get_by_role("button", name="Save the draft").click()

    expect(flashes(page)).to_contain_text("Draft saved. Submit it when it is complete.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    hosts = page.get_by_role("region", name="Hosts")
    expect(hosts).to_contain_text("Poder Ciudadano — invited, no answer yet")
    # Until a civil-society host confirms, the page says what is missing and submitting fails.
    expect(page.get_by_role("region", name="Next steps")).to_contain_text(
        "at least one civil-society organisation"
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(flashes(page)).to_contain_text("The proposal is not complete yet.")
    expect(page.get_by_label("Co-hosts")).to_have_attribute("aria-invalid", "true")
    with site.app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.title == title))

    # The co-host opens the link in the invitation e-mail, signs in and accepts.
    (invitation,) = outbox_to(site, cohost, title)
    link = re.search(rf"https?://\S+/proposals/{proposal_id}\b", invitation.body_text).group(0)
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    fill_sign_in(page, cohost)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    page.get_by_role("button", name="Accept").click()
    expect(flashes(page)).to_contain_text("Thank you: you co-host this event.")
    expect(hosts).to_contain_text("Poder Ciudadano — co-host, confirmed")

    become(page, site, proposer)
    page.goto(f"{site.url}/proposals/")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Comment (optional)").fill("Ready: both hosts have confirmed.")
    page.get_by_role("button", name="Submit for review").click()
    expect(flashes(page)).to_contain_text("Proposal submitted. Reviewers have been told.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")

    # A reviewer finds it in the queue and reviews it.
    become(page, site, demo.demo_email("reviewer"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Proposals").click()
    page.get_by_role("link", name="Review queue").click()
    page.get_by_label("Status", exact=True).select_option(label="Submitted")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title))
    expect(row).to_contain_text("Government of Argentina, Poder Ciudadano")
    row.get_by_role("link", name=title).click()
    page.get_by_label("Recommendation", exact=True).select_option(label="Accept")
    page.get_by_label("Relevance to the themes").select_option("5")
    page.get_by_label("Ambition", exact=True).select_option("4")
    page.get_by_label("Multi-stakeholder co-creation").select_option("5")
    page.get_by_label("Feasibility", exact=True).select_option("4")
    # Scoped to its section: the review's and the decision's comment boxes share id="comment".
    page.get_by_role("region", name="Reviews").get_by_role("textbox").fill(
        "Clear goals, and civil society leads half of it."
    )
    page.get_by_role("button", name="Save my review").click()
    expect(flashes(page)).to_contain_text("Your review is saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In review")
    expect(page.get_by_role("region", name="Reviews")).to_contain_text("Rafael Reviewer")

    # An administrator decides: accepted, and the event is created in draft.
    become(page, site, demo.demo_email("admin"))
    page.goto(f"{site.url}/proposals/review")
    page.get_by_role("link", name=title).click()
    decide = page.get_by_role("region", name="Decide")
    decide.get_by_label("Decision", exact=True).select_option(label="Accept: the event goes ahead")
    # Not get_by_label("Comment to the hosts"): that label's for="comment" points at the review
    # form's box, which comes first with the same id (a bug); the textbox is the one in "Decide".
    decide.get_by_role("textbox").fill("Welcome to the programme.")
    page.get_by_role("button", name="Record the decision").click()
    expect(flashes(page)).to_contain_text("Decision recorded and sent to the hosts.")
    decision = page.get_by_role("region", name="Decision: Accepted")
    expect(decision).to_contain_text("was created in draft")
    expect(page.get_by_role("list").filter(has_text="Submitted → In review")).to_be_visible()
    screenshot(page, "proposal-accepted")

    with site.app.app_context():
        event = db.session.scalar(select(Event).where(Event.proposal_id == proposal_id))
        slug, status = event.slug, event.status
        organisers = sorted(o.user.email for o in event.organisers)
    assert status is EventStatus.DRAFT
    assert organisers == sorted([proposer, cohost])

    # The proposer's focal point now finds the draft event to organise.
    become(page, site, proposer)
    page.goto(f"{site.url}/events/{slug}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_text("This event is a draft: only its organisers can see")).to_be_visible()
    expect(page.get_by_role("link", name="Manage this event")).to_be_visible()


# 3. Publish and build an agenda ---------------------------------------------------------


def test_publish_and_build_an_agenda(site, page):
    title = "Civic space under pressure"
    slug = make_event(site, title, ["Government of Canada", "Women in Governance Network"])
    day = date.today() + timedelta(days=DAYS_AHEAD)

    become(page, site, demo.demo_email("government-of-canada"))
    page.goto(f"{site.url}/events/{slug}")
    page.get_by_role("link", name="Manage this event").click()
    glance = page.get_by_role("region", name="At a glance")
    expect(glance).to_contain_text("Draft")
    page.get_by_role("button", name="Publish the event").click()
    expect(flashes(page)).to_contain_text("The event is published.")
    expect(glance).to_contain_text("Published")
    expect(page.get_by_role("region", name="Publication")).to_contain_text("The event is public.")

    page.get_by_role("navigation", name="Event management").get_by_role(
        "link", name="Agenda"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda editor")
    expect(page.get_by_text("No sessions yet")).to_be_visible()

    sessions = [
        ("Opening: why civic space matters", "Plenary", 9, 10, "Main hall", "Amara Diallo"),
        ("Protecting protest online", "Panel", 10, 12, "Room 2", "Jonas Berg"),
    ]
    for name, kind, start, end, room, speaker in sessions:
        page.get_by_role("link", name="Add a session").click()
        page.get_by_label("Title", exact=True).fill(name)
        page.get_by_label("Kind", exact=True).select_option(label=kind)
        page.get_by_label("Starts", exact=True).fill(local(day, start, 30))
        page.get_by_label("Ends", exact=True).fill(local(day, end))
        page.get_by_label("Room", exact=True).fill(room)
        page.get_by_label("English", exact=True).check()
        page.get_by_label("Speaker 1: Name").fill(speaker)
        page.get_by_label("Speaker 1: Affiliation").fill("Civic Space Watch")
        page.get_by_label("Speaker 1: Sector").select_option(label="Civil society")
        page.get_by_role("button", name="Save the session").click()
        expect(flashes(page)).to_contain_text("Session added.")

    editor = page.locator("table.agenda-editor")
    expect(editor.get_by_role("row")).to_have_count(3)  # a header and two sessions
    for name, *_rest in sessions:
        expect(editor).to_contain_text(name)
    screenshot(page, "agenda-editor")

    page.get_by_role("link", name="The agenda as participants see it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Agenda: {title}")
    titles = page.locator(".agenda-session .session-title")
    expect(titles).to_have_text([name for name, *_rest in sessions])
    expect(page.locator(".agenda-session").first).to_contain_text("Amara Diallo")
    expect(page.locator(".agenda-session").first).to_contain_text("Room: Main hall")
    screenshot(page, "agenda-public")

    # Anyone, signed in or not, sees the published agenda.
    page.context.clear_cookies()
    page.goto(f"{site.url}/events/{slug}/agenda")
    expect(page.locator(".agenda-session .session-title")).to_have_count(2)


# 4. Register, waitlisted, promoted, cancel ----------------------------------------------


def register(page, site, slug: str, sector: str = "Civil society") -> None:
    page.goto(f"{site.url}/events/{slug}")
    page.get_by_role("region", name="Registration").get_by_role(
        "link", name="Register", exact=True
    ).click()
    page.get_by_label("Sector", exact=True).select_option(label=sector)
    page.get_by_role("button", name="Register", exact=True).click()


def my_registration_row(page, title: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registrations").click()
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def test_register_waitlisted_promoted_and_cancel(site, page):
    title = "Youth and civic space"
    slug = make_event(
        site, title, ["Government of Senegal", "Youth for Open Government"], publish=True
    )
    first, second = make_person(site, "Ama Mensah"), make_person(site, "Baptiste Sarr")

    # The organiser limits the event to one seat, with a waiting list.
    become(page, site, demo.demo_email("government-of-senegal"))
    page.goto(f"{site.url}/events/{slug}/manage")
    page.get_by_role("navigation", name="Event management").get_by_role(
        "link", name="Registration"
    ).click()
    page.get_by_label("Seats", exact=True).fill("1")
    page.get_by_label("Open a waiting list when the event is full").check()
    page.get_by_role("button", name="Save the settings").click()
    expect(flashes(page)).to_contain_text("Registration settings saved.")
    expect(page.get_by_role("region", name="At a glance")).to_contain_text("0 of 1 taken")

    become(page, site, first)
    register(page, site, slug)
    expect(flashes(page)).to_contain_text("You are registered.")
    expect(page.locator(".registration-status")).to_contain_text("You are registered.")
    screenshot(page, "registration-confirmed")

    become(page, site, second)
    page.goto(f"{site.url}/events/{slug}/register")
    expect(page.get_by_text("The event is full: if you register, you will join")).to_be_visible()
    register(page, site, slug, sector="Government")
    expect(flashes(page)).to_contain_text(
        "The event is full: you are number 1 on the waiting list."
    )
    screenshot(page, "registration-waitlisted")
    expect(my_registration_row(page, title)).to_contain_text("Waiting list · number 1")

    # The first person cancels from "My registrations": the seat goes to the second.
    become(page, site, first)
    row = my_registration_row(page, title)
    expect(row).to_contain_text("Confirmed")
    row.get_by_role("link", name=f"Cancel ({title})").click()
    expect(
        page.get_by_text("Your seat will go to the first person on the waiting list.")
    ).to_be_visible()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(flashes(page)).to_contain_text("Your registration is cancelled.")
    expect(my_registration_row(page, title)).to_contain_text("Cancelled")

    assert outbox_to(site, second, f"A seat is yours at {title}")
    become(page, site, second)
    row = my_registration_row(page, title)
    expect(row).to_contain_text("Confirmed")
    row.get_by_role("link", name=f"Details ({title})").click()
    expect(page.locator(".registration-status")).to_contain_text("You are registered.")
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(flashes(page)).to_contain_text("Your registration is cancelled.")
    expect(my_registration_row(page, title)).to_contain_text("Cancelled")
    page.goto(f"{site.url}/events/{slug}")
    expect(page.get_by_role("region", name="Registration")).to_contain_text(
        "Your registration was cancelled."
    )


# 5. Star sessions and copy the calendar link --------------------------------------------


def test_star_sessions_and_subscribe_to_my_calendar(site, page):
    starred = ["Opening plenary", "Workshop: drafting commitments"]
    with site.app.app_context():
        slug = db.session.scalar(select(Event.slug).where(Event.title == "Open Parliament Week"))
    become(page, site, make_person(site, "Inès Moreau"))

    page.goto(f"{site.url}/events/{slug}/agenda")
    for name in starred:
        page.get_by_role("button", name=f"☆ Add to my agenda ({name})").click()
        expect(flashes(page)).to_contain_text("The session is in your agenda.")
        expect(page.get_by_role("button", name=f"★ In my agenda: remove ({name})")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My agenda").click()
    expect(page.locator(".my-agenda .session-title")).to_have_text(starred)
    expect(page.locator(".my-agenda")).to_contain_text("Session of Open Parliament Week")
    screenshot(page, "my-agenda")

    page.get_by_role("link", name="My calendar").first.click()
    expect(page.get_by_text("You have no private calendar address yet.")).to_be_visible()
    page.get_by_role("button", name="Create my private address").click()
    expect(flashes(page)).to_contain_text("Your private calendar address is ready.")
    address = page.get_by_label("Address to copy into your calendar application")
    url = address.input_value()
    assert url.startswith(f"{site.url}/me/calendar/") and url.endswith(".ics")
    webcal = page.get_by_role("region", name="Your private address").get_by_role(
        "link", name="Subscribe"
    )
    expect(webcal).to_have_attribute("href", "webcal://" + url.split("://", 1)[1])
    screenshot(page, "my-calendar")

    feed = page.request.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text().replace("\r\n ", "")  # unfold long lines
    for name in starred:
        assert f"SUMMARY:{name}" in body

    # A new address asks first (convene.js); declining the question changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Make a new address").click()
    expect(address).to_have_value(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new address").click()
    expect(flashes(page)).to_contain_text("Your new calendar address is ready.")
    expect(address).not_to_have_value(url)
    assert page.request.get(url).status == 404
    assert page.request.get(address.input_value()).status == 200


def test_without_javascript_the_same_buttons_work(site, browser):
    """convene.js only asks before destructive actions: without it they act at once."""
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        with site.app.app_context():
            slug = db.session.scalar(
                select(Event.slug).where(Event.title == "Open Parliament Week")
            )
        page.goto(f"{site.url}/sign-in")
        fill_sign_in(page, make_person(site, "Kofi Boateng"))
        page.goto(f"{site.url}/events/{slug}/agenda")
        page.get_by_role("button", name="☆ Add to my agenda (Closing plenary)").click()
        expect(flashes(page)).to_contain_text("The session is in your agenda.")
        page.goto(f"{site.url}/me/calendar")
        page.get_by_role("button", name="Create my private address").click()
        address = page.get_by_label("Address to copy into your calendar application")
        first = address.input_value()
        page.get_by_role("button", name="Make a new address").click()  # no question asked
        expect(flashes(page)).to_contain_text("Your new calendar address is ready.")
        assert address.input_value() != first
        assert "SUMMARY:Closing plenary" in page.request.get(address.input_value()).text()
    finally:
        context.close()


# 6. Report progress on a commitment -----------------------------------------------------


def test_report_progress_on_a_commitment(site, page):
    commitment = "Publish every court decision in open data"
    narrative = "The supreme court and two appeal courts now publish every decision."
    evidence = "https://www.example.org/courts/decisions-open-data"

    become(page, site, demo.demo_email("government-of-chile"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My commitments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My commitments")
    page.get_by_role("link", name=f"Report progress ({commitment})").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment)

    report = page.get_by_role("region", name="Report progress")
    report.get_by_label("Status", exact=True).select_option(label="Completed")
    report.get_by_label("What happened", exact=True).fill(narrative)
    report.get_by_label("Evidence links").fill(evidence)
    report.get_by_role("button", name="Report progress").click()

    expect(flashes(page)).to_contain_text("Progress reported.")
    history = page.get_by_role("region", name="History")
    entry = history.get_by_role("row").filter(has_text=narrative)
    expect(entry).to_contain_text("Completed")
    expect(entry.get_by_role("link", name=evidence)).to_have_attribute("href", evidence)
    expect(page.locator(".details")).to_contain_text("Completed")
    screenshot(page, "commitment-reported")

    # A link that is not https is refused next to its field, and what was typed is kept.
    report.get_by_label("Status", exact=True).select_option(label="Completed")
    report.get_by_label("What happened", exact=True).fill("A second report.")
    report.get_by_label("Evidence links").fill("ftp://example.org/file")
    report.get_by_role("button", name="Report progress").click()
    expect(report.get_by_label("Evidence links")).to_have_attribute("aria-invalid", "true")
    expect(report.get_by_label("What happened", exact=True)).to_have_value("A second report.")


# Bugs found along the way, kept as tests ------------------------------------------------


def test_a_refused_submission_shows_the_draft_as_saved(site, page):
    # The edit form shown with the missing fields must hold the draft, not the submit
    # button's form (which carries only a comment).
    title = "Open justice for young people"
    with site.app.app_context():
        member = db.session.scalar(select(Member).where(Member.name == "Government of Argentina"))
        proposal = proposal_service.create_proposal(
            member.focal_points[0].user, member.id, proposal_service.ProposalInput(title=title)
        )
        db.session.commit()
        proposal_id = proposal.id

    become(page, site, demo.demo_email("government-of-argentina"))
    page.goto(f"{site.url}/proposals/{proposal_id}")
    page.get_by_role("button", name="Submit for review").click()
    expect(flashes(page)).to_contain_text("The proposal is not complete yet.")
    expect(page.get_by_label("Title", exact=True)).to_have_value(title, timeout=1000)


def test_the_decision_comment_box_has_its_label(site, page):
    # The review and decision forms both have a "comment" field: each needs its own id for
    # its label to point at it.
    with site.app.app_context():
        proposal_id = db.session.scalar(
            select(Proposal.id).where(Proposal.title.startswith("Trust in digital governance"))
        )
    become(page, site, demo.demo_email("reviewer"))
    page.goto(f"{site.url}/proposals/{proposal_id}")
    decide = page.get_by_role("region", name="Decide")
    expect(decide.get_by_label("Comment to the hosts")).to_be_visible(timeout=1000)
