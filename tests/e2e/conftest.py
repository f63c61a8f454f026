"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright for Python.

Marked `e2e`. They skip, with the reason, when the `playwright` package or a Chromium binary is
missing (CI installs both; see docs/domains/portal.md). The browser is never downloaded by
Playwright: it drives the system Chromium (`GONGYOU_CHROMIUM`, else /usr/bin/chromium).
A screenshot of each journey's last step goes to test-artifacts/e2e/.

The site runs under its enforced content security policy (settings CONTENT_SECURITY_POLICY) and
every test fails if the browser reports a violation: a blocked inline script or style, an
eval, a resource from another origin (`csp_violations`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ARTIFACTS = Path(
    os.environ.get("GONGYOU_E2E_ARTIFACTS") or Path(settings.PROJECT_DIR) / "test-artifacts" / "e2e"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end tests in a real browser (Chromium)")


def chromium_path() -> str | None:
    """GONGYOU_CHROMIUM if set (and only it), else Debian's /usr/bin/chromium or one on PATH."""
    configured = os.environ.get("GONGYOU_CHROMIUM")
    candidates = (
        [configured]
        if configured
        else ["/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")]
    )
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    """Skip with the reason; CI sets GONGYOU_REQUIRE_E2E=1 so a missing browser fails instead."""
    if os.environ.get("GONGYOU_REQUIRE_E2E") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


# Chromium logs each violation to the console ("Refused to ... because it violates the following
# Content Security Policy directive ..."); the init script reports the DOM event as well, with
# the directive and the source location.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""
_violations: list[str] = []


def _record_csp(message: Any) -> None:
    text = message.text
    if "Content Security Policy" in text or text.startswith("CSP violation:"):
        _violations.append(f"{message.location.get('url', '')}: {text}")


class CheckedBrowser:
    """The Playwright browser, whose new contexts report CSP violations to `csp_violations`."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.add_init_script(CSP_LISTENER)
        context.on("console", _record_csp)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def csp_violations() -> list[str]:
    """The violations the browser reported during this test (tests that provoke one on purpose
    read and clear it)."""
    return _violations


@pytest.fixture(autouse=True)
def _fail_on_csp_violation(request: Any) -> Iterator[None]:
    _violations.clear()
    yield
    if "browser" in request.fixturenames and _violations:
        found, _violations[:] = list(_violations), []
        pytest.fail(
            "The content security policy blocked something on the page:\n" + "\n".join(found),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("e2e: the playwright package is not installed (see docs/domains/portal.md)")
    path = chromium_path()
    if path is None:
        _unavailable("e2e: no Chromium found (apt-get install chromium, or set GONGYOU_CHROMIUM)")
    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls are
    # ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield CheckedBrowser(browser)
        browser.close()


@pytest.fixture
def screenshot(request: Any) -> Any:
    def take(page: Any, name: str | None = None) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name or request.node.name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return take


def session_cookie_for(user: Any, base_url: str) -> dict[str, Any]:
    """A signed-in staff session for the browser (as after the sign-in page)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
