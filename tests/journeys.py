"""What the browser journeys share (tests/test_journey_*.py): Debian's Chromium through Playwright, a desk of
1280×900 in zh-CN, the login, the accounts they log in as, and the screenshots — each saved twice: into the
user guide (docs/guide/img/<role>-<step>.png, so the guide's pictures are the product as it is) and into
var/screenshots/ (the CI artefact).

Pages are found by stable things only: form field names, button and link texts, URLs — never layout.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cases.models import Region
from cases.regions import regions_load
from tests.test_browser import _browser_or_skip

ROOT = Path(__file__).resolve().parent.parent
GUIDE_IMG = ROOT / "docs" / "guide" / "img"
SHOTS = ROOT / "var" / "screenshots"
PASSWORD = "journey-pass-2026"
VIEWPORT = {"width": 1280, "height": 900}
FULL_PAGE_LIMIT = 3000  # px: a taller page is shot as the viewport, to keep the guide's pictures small
WAIT = 15000  # ms


def world_regions() -> None:
    """Jiangxi's regions (idempotent: the shared test world may have loaded them already)."""
    regions_load(province="360000")


def account(username: str, role: str, code: str, *, full_name: str = ""):
    """A staff account holding `role` at `code`, with the journeys' password (made through staff_create)."""
    from cases.services import staff_create

    user = staff_create(username=username, region=Region.objects.get(code=code), role=role, full_name=full_name)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return get_user_model().objects.get(pk=user.pk)


@contextlib.contextmanager
def chromium(monkeypatch) -> Iterator[object]:
    """A launched Chromium (skipped when it is missing, failed when ZHIQIAN_REQUIRE_BROWSER is set)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = _browser_or_skip(p)
        try:
            yield browser
        finally:
            browser.close()


def desk(browser, *, accept_downloads: bool = False):
    """A page on an office desk: 1280×900, Chinese."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=accept_downloads)
    context.set_default_timeout(WAIT)
    return context.new_page()


def login(page, base: str, username: str, *, landing: str, shot: tuple[str, str] | None = None) -> None:
    """Log in through the product's login page and arrive at `landing` (a path)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    if shot:
        screenshot(page, *shot)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(f"{base}{landing}")
    page.wait_for_load_state("networkidle")


def screenshot(page, role: str, step: str) -> Path:
    """The page as the user sees it, into the guide and into var/screenshots/ (the full page when it is not
    taller than FULL_PAGE_LIMIT, else the viewport)."""
    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    target = GUIDE_IMG / f"{role}-{step}.png"
    page.screenshot(path=str(target), full_page=height <= FULL_PAGE_LIMIT, animations="disabled")
    shutil.copyfile(target, SHOTS / target.name)
    return target


def fill_region(page, name: str, code: str, label: str = "") -> None:
    """A region field, whatever widget draws it: a select (chosen by its code or name) or a text input, where
    the clerk types the region's name (`label`) as people do, never its code."""
    field = page.locator(f"[name={name}]").first
    if field.evaluate("el => el.tagName") == "SELECT":
        values = field.evaluate("el => Array.from(el.options).map(o => [o.value, o.text])")
        value = next(v for v, text in values if v == code or f"（{code}）" in text or text.endswith(code))
        field.select_option(value)
    else:
        field.fill(label or code)


def submit(page, text: str = "提交") -> None:
    """Press the form's button with this text (the task forms' 提交, the admin's 保存)."""
    page.locator(f"button:has-text('{text}'), input[type=submit][value='{text}']").first.click()
