"""WCAG 2.2 AA, checked by axe-core in Chromium on the main pages in each language: no
serious or critical violation is allowed."""

import pytest
from sqlalchemy import select

from convene import demo
from convene.extensions import db
from convene.models import AgendaSession, Event, EventStatus

from .conftest import axe_source, screenshot, sign_in

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {
    checked: result.passes.length,
    violations: result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({id: v.id, impact: v.impact, help: v.help,
                  where: v.nodes.slice(0, 3).map(n => n.target.join(' '))})),
  };
}"""


def event_with_agenda(site) -> str:
    with site.app.app_context():
        return db.session.scalar(
            select(Event.slug)
            .where(Event.status == EventStatus.PUBLISHED)
            .where(Event.id.in_(select(AgendaSession.event_id)))
            .order_by(Event.starts_at)
        )


def pages(site):
    slug = event_with_agenda(site)
    return [
        ("home", None, "/"),
        ("events", None, "/events/"),
        ("leaders", None, "/leaders/"),
        ("event", None, f"/events/{slug}"),
        ("register", None, f"/events/{slug}/register"),
        ("agenda", None, f"/events/{slug}/agenda"),
        ("follow-up", None, "/events/open-justice-days/follow-up"),
        ("sign-in", None, "/sign-in"),
        ("proposal-form", demo.demo_email("government-of-argentina"), "/proposals/new"),
        ("review-queue", demo.demo_email("reviewer"), "/proposals/review"),
    ]


def choose_language(page, site, language: str) -> None:
    page.goto(f"{site.url}/")
    page.locator(".language-switch").get_by_role("button", name=LANGUAGES[language]).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_violations(site, page, language):
    axe = axe_source()
    found = {}
    signed_in_as = None
    for name, person, path in pages(site):
        if person != signed_in_as:
            page.context.clear_cookies()
            if person:
                sign_in(page, site, person)
            signed_in_as = person
            choose_language(page, site, language)
        elif signed_in_as is None and name == "home":
            choose_language(page, site, language)
        response = page.goto(f"{site.url}{path}")
        assert response.status == 200, (name, response.status)
        page.add_script_tag(content=axe)
        result = page.evaluate(RUN_AXE, TAGS)
        assert result["checked"] > 10, "axe did not run its rules"
        if result["violations"]:
            found[name] = result["violations"]
        if language == "en":
            screenshot(page, name)
    assert not found, found
