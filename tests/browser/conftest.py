"""Browser tests: the demo served by a real HTTP server, driven by Debian's Chromium through
Playwright, with the axe-core engine (from npm) for accessibility.

Everything here needs programs outside Python (Chromium, Playwright's driver, axe-core);
without them the tests are skipped and say so, and CI makes that a failure.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from convene import ROOT, create_app, demo
from convene.extensions import db

from ..conftest import _empty_database, test_config, unavailable
from ..smtp import free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Set CONVENE_SCREENSHOTS=1 to refresh the README's pictures from a run.
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
# The flags a closed network needs: no background calls home, no component updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveSite:
    """The app with the demo loaded, served on 127.0.0.1 in a thread."""

    def __init__(self, database_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(
            "testing",
            test_config(database_url, WTF_CSRF_ENABLED=True, BASE_URL=self.url),
        )
        with self.app.app_context():
            _empty_database()
            demo.load_demo()
            db.session.commit()
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(10)
        with self.app.app_context():
            _empty_database()
            db.engine.dispose()


@pytest.fixture(scope="module")
def site(base_app, database_url):  # base_app: the migrated database
    with LiveSite(database_url) as live:
        yield live


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable(f"needs Chromium at {CHROMIUM} (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("needs Playwright for Python (pip install playwright)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    # bypass_csp: axe is injected as an inline script, which the CSP rightly refuses.
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def axe_source() -> str:
    if not AXE.exists():
        unavailable(f"needs axe-core from npm at {AXE.relative_to(ROOT)} (run `npm install`)")
    return AXE.read_text()


def sign_in(page, site, email: str) -> None:
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(demo.DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    """Pictures for the README, refreshed only when asked (they are committed)."""
    if os.environ.get("CONVENE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
