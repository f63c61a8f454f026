"""The content security policy: enforced on every response, never 'unsafe-inline' or
'unsafe-eval', and no page carries code the policy would block (inline <script>, <style>,
style="" attributes, on*= handlers, hx-on, javascript: URLs).

Two nets: every template source is read (so a branch no test data reaches is still checked), and
every page a user can reach is rendered with demo data (so HTML built in Python, such as the SVG
charts, is checked too). The browser tests (tests/e2e) additionally fail on any CSP violation
the browser reports."""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .pages import Page, demo_dataset, every_page

GONGYOU = Path(settings.BASE_DIR)
REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# <script> elements the browser never runs: data blocks, so the policy does not apply.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


@dataclass(frozen=True)
class Inline:
    line: int
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.line}: {self.what}: {self.text[:120]}"


class InlineFinder(HTMLParser):
    """Everything in a document that a policy without 'unsafe-inline' (and without
    'unsafe-eval', for htmx's hx-on) would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Inline] = []
        self._script: tuple[int, str] | None = None

    def _add(self, what: str, text: str) -> None:
        self.found.append(Inline(self.getpos()[0], what, text.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "style":
            self._add("inline <style> element", self.get_starttag_text() or "")
        if tag == "script" and "src" not in values:
            kind = values.get("type", "").strip().lower()
            if kind not in DATA_SCRIPT_TYPES:
                self._add("inline <script> (no src)", self.get_starttag_text() or "")
        for name, value in attrs:
            if name == "style":
                self._add("style= attribute", f"<{tag} style={value!r}>")
            elif re.fullmatch(r"on[a-z]+", name):
                self._add(f"{name}= event handler", f"<{tag} {name}={value!r}>")
            elif name.startswith(("hx-on", "data-hx-on")):
                self._add(f"{name} (htmx eval)", f"<{tag} {name}={value!r}>")
            elif value and value.strip().lower().startswith("javascript:"):
                self._add(f"javascript: URL in {name}", f"<{tag} {name}={value!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def inline_code(html: str) -> list[Inline]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _templates() -> list[Path]:
    return sorted(GONGYOU.glob("**/templates/**/*.html"))


# --- the checker itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">import x from "/y.js"</script>',
        "<style>p{color:red}</style>",
        '<p style="color:red">x</p>',
        '<svg><rect style="fill:red"/></svg>',
        '<button onclick="go()">x</button>',
        '<select onchange="this.form.submit()"></select>',
        '<div hx-on:click="alert(1)"></div>',
        '<div hx-on::after-request="x()"></div>',
        '<a href="javascript:void(0)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
    ],
)
def test_the_finder_sees_inline_code(html):
    assert inline_code(html), html


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/base.js" defer></script>',
        '<script type="application/json" id="s">{"a": 1}</script>',
        '<link rel="stylesheet" href="/static/css/app.css">',
        '<svg><rect fill="#c8102e" stroke="#111"/></svg>',
        '<button data-remove-row class="link">x</button>',
        '<input hx-trigger="input changed delay:300ms, search-now" data-enter-event="search-now">',
        "<p>Click on the style button: onclick=</p>",
    ],
)
def test_the_finder_lets_external_code_and_data_through(html):
    assert inline_code(html) == []


# --- the header -----------------------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _assert_strict(header: str) -> None:
    directives = _directives(header)
    for name, source in REQUIRED.items():
        assert directives.get(name) == [source], (name, header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, header
    assert "*" not in header.split(), header
    assert set(directives["img-src"]) <= {"'self'", "data:"}, header


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/me/sign-in/", "/api/v1/docs", "/api/v1/openapi.json", "/nowhere/"],
)
def test_every_response_enforces_the_policy(path):
    response = Client().get(path)
    assert "Content-Security-Policy-Report-Only" not in response
    _assert_strict(response["Content-Security-Policy"])


@pytest.mark.django_db
def test_staff_pages_and_htmx_partials_carry_the_policy(make_user):
    client = Client()
    client.force_login(make_user("case_handler"))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/cases/", headers=headers)
        assert response.status_code == 200
        _assert_strict(response["Content-Security-Policy"])


def test_production_enforces_the_same_policy(monkeypatch):
    """production.py inherits the enforced policy and the middleware; it sets no report-only
    policy that would weaken it to a warning."""
    monkeypatch.setenv("GONGYOU_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("GONGYOU_PII_KEYS", "k1:" + "A" * 44)
    monkeypatch.setenv("GONGYOU_PII_INDEX_KEY", "A" * 44)
    # Import production afresh (base too: it reads the environment when imported), then put the
    # modules the running test settings use back.
    names = ("gongyou.config.settings.base", "gongyou.config.settings.production")
    package = importlib.import_module("gongyou.config.settings")
    saved = {name: sys.modules.pop(name, None) for name in names}
    try:
        production = importlib.import_module(names[1])
    finally:
        for name, module in saved.items():
            sys.modules.pop(name, None)
            short = name.rsplit(".", 1)[1]
            if module is not None:
                sys.modules[name] = module
                setattr(package, short, module)
            elif hasattr(package, short):
                delattr(package, short)
    assert "gongyou.core.middleware.CSPMiddleware" in production.MIDDLEWARE
    assert not getattr(production, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    from csp.utils import build_policy

    _assert_strict(build_policy(config=production.CONTENT_SECURITY_POLICY["DIRECTIVES"]))


def test_the_cached_header_is_the_librarys_and_follows_the_settings(client):
    """The header is built once (gongyou.core.middleware.CSPMiddleware), yet it is exactly what
    django-csp builds, and a change of the policy setting is picked up."""
    from csp.utils import build_policy
    from django.test import override_settings

    assert client.get("/healthz")["Content-Security-Policy"] == build_policy()
    stricter = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    stricter["DIRECTIVES"]["img-src"] = ["'self'"]
    with override_settings(CONTENT_SECURITY_POLICY=stricter):
        header = client.get("/healthz")["Content-Security-Policy"]
        directives = {d.strip() for d in header.split(";")}
        assert "img-src 'self'" in directives and "data:" not in header
        assert header == build_policy()
    assert "data:" in client.get("/healthz")["Content-Security-Policy"]


def test_a_view_that_customises_the_policy_takes_the_librarys_path(rf):
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from gongyou.core.middleware import CSPMiddleware

    @csp_update({"img-src": ["https://tiles.example"]})
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/somewhere")
    response = CSPMiddleware(view)(request)
    assert "img-src 'self' data: https://tiles.example" in response["Content-Security-Policy"]
    plain = CSPMiddleware(lambda r: HttpResponse("ok"))(rf.get("/elsewhere"))
    assert "tiles.example" not in plain["Content-Security-Policy"]


def test_htmx_runs_without_eval_and_without_its_inline_style():
    base = (GONGYOU / "templates" / "base.html").read_text()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", base)
    assert meta, "base.html must configure htmx with a <meta name=htmx-config>"
    import json

    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    assert base.index('name="htmx-config"') < base.index("{% htmx_script %}")
    css = (GONGYOU / "static" / "css" / "app.css").read_text()
    assert ".htmx-request .htmx-indicator" in css  # the rules htmx would have injected


# --- no inline code -------------------------------------------------------------------------


def _report(problems: dict[str, list[Inline]]) -> str:
    lines = ["Inline code the content security policy blocks (move it to a static file):"]
    for where, found in sorted(problems.items()):
        lines += [f"  {where}:{item}" for item in found]
    return "\n".join(lines)


DJANGO_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def without_comments(source: str) -> str:
    """The template with its Django comments blanked (line numbers kept): never rendered."""
    return DJANGO_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)


def test_template_comments_are_not_code():
    source = (
        "{# no <style> here #}\n{% comment %}\n<script>x()</script>\n{% endcomment %}\n<p style=x>"
    )
    assert [i.line for i in inline_code(without_comments(source))] == [5]


def test_no_template_has_inline_code():
    problems = {}
    for path in _templates():
        found = inline_code(without_comments(path.read_text()))
        if found:
            problems[str(path.relative_to(GONGYOU.parent))] = found
    assert not problems, _report(problems)


@pytest.mark.django_db
def test_no_rendered_page_has_inline_code():
    pages: list[Page] = every_page(demo_dataset())
    routes = {page.route for page in pages}
    # The walk really reached the pages (a broken walk would pass vacuously).
    assert len(pages) > 80, sorted(routes)
    for namespace in (
        "workers", "stations", "cases", "employers", "training", "settlement", "jobs",
        "recognition", "publicservices", "indicators", "portal", "imports", "exports",
        "accounts", "ops",
    ):  # fmt: skip
        assert any(route.startswith(namespace + ":") for route in routes), namespace
    assert {"indicators:dashboard", "api:openapi-view", "portal:home", "cases:detail"} <= routes
    problems = {}
    for page in pages:
        found = inline_code(page.html)
        if found:
            problems[f"{page.url} ({page.route})"] = found
    assert not problems, _report(problems)


@pytest.mark.django_db
def test_the_csrf_failure_page_has_no_inline_code():
    """Django's own CSRF failure page has an inline <style>; templates/403_csrf.html replaces it."""
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "CSRF verification failed" in html and inline_code(html) == []
