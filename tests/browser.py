"""What the browser tests share: Debian's Chromium, a person's tab that checks every page it
shows (axe-core, sideways scrolling, console errors, requests to other hosts), and a POST
for setting a test up."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.harness import DEMO_PASSWORD, Platform

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class Visit:
    """A person's browser tab at one size: every page it shows is checked with axe-core
    (no serious or critical violations) and for sideways scrolling; console errors and
    requests to other hosts are collected and must stay empty."""

    def __init__(self, browser: Browser, web: str, size: str) -> None:
        self.web, self.size = web, size
        self.context = browser.new_context(viewport=SIZES[size], locale="nl-NL")
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.axe = Axe()

    def _request(self, request) -> None:
        if urlsplit(request.url).netloc != urlsplit(self.web).netloc:
            self.foreign.append(request.url)

    def open(self, path: str) -> Page:
        self.page.goto(self.web + path)
        return self.checked()

    def checked(self) -> Page:
        """Check the page now shown."""
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{self.page.url} ({self.size}): {serious}"
        wide = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"{self.page.url} scrolls sideways by {wide}px at {self.size}"
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign
        return self.page

    def login(self, username: str) -> Page:
        page = self.open("/inloggen")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        return self.checked()

    def click(self, name: str, role: str = "link") -> Page:
        self.page.get_by_role(role, name=name).first.click()
        return self.checked()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visits(browser: Browser, platform: Platform) -> Iterator:
    opened: list[Visit] = []

    def visit(size: str) -> Visit:
        opened.append(Visit(browser, platform.web, size))
        return opened[-1]

    yield visit
    for v in opened:
        v.close()


def post(url: str, headers: dict, body: dict) -> httpx.Response:
    """A POST that setting up a test retries once when the gateway answers 503 (it asks to
    try again); the Idempotency-Key makes the retry safe."""
    headers = headers | {"Idempotency-Key": str(uuid.uuid4())}
    answer = httpx.post(url, headers=headers, json=body)
    return httpx.post(url, headers=headers, json=body) if answer.status_code == 503 else answer
