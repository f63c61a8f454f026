"""CSRF on every form (docs/security.md).

- Every page a user can reach is rendered with demo data: each <form method="post"> carries a
  csrfmiddlewaretoken input, and a page whose elements post through HTMX (hx-post, hx-put,
  hx-patch, hx-delete) sends the token in the X-CSRFToken header that base.html's
  <body hx-headers> sets for every HTMX request.
- Every URL of the site, posted to without a token by a signed-in user, is refused with 403 by
  CsrfViewMiddleware before its view runs; the same post with the token gets through.
- The only views exempt from Django's CSRF middleware are the API's (/api/v1/): a partner system
  authenticates with a Bearer token, which a browser never sends by itself, so there is no
  cross-site request to forge. A browser session calling the API (the front desk's offline
  queue) is still checked: django-ninja's session authentication requires the CSRF token.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import api_token_create

from .pages import demo_dataset, every_page

HTMX_WRITES = ("hx-post", "hx-put", "hx-patch", "hx-delete")
CONVERTER_EXAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
}


@dataclass
class _Form:
    line: int
    action: str
    token: bool = False


@dataclass
class FormFinder(HTMLParser):
    post_forms: list[_Form] = field(default_factory=list)
    htmx_writes: list[tuple[int, str]] = field(default_factory=list)
    body_headers: str | None = None
    _open: list[_Form | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "body":
            self.body_headers = values.get("hx-headers")
        if tag == "form":
            post = values.get("method", "get").lower() == "post"
            form = _Form(self.getpos()[0], values.get("action", "")) if post else None
            if form:
                self.post_forms.append(form)
            self._open.append(form)
        if (
            tag == "input"
            and values.get("name") == "csrfmiddlewaretoken"
            and values.get("value")
            and self._open
            and self._open[-1] is not None
        ):
            self._open[-1].token = True
        for name in HTMX_WRITES:
            if name in values:
                self.htmx_writes.append((self.getpos()[0], f"<{tag} {name}={values[name]!r}>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._open:
            self._open.pop()


def forms_of(html: str) -> FormFinder:
    finder = FormFinder()
    finder.feed(html)
    finder.close()
    return finder


def test_the_finder_tells_forms_with_and_without_a_token_apart():
    found = forms_of(
        '<form method="post" action="/a/"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="t"></form><form method="POST" action="/b/"><input name="x"></form>'
        '<form method="get"><input name="q"></form><button hx-post="/c/">c</button>'
    )
    assert [(f.action, f.token) for f in found.post_forms] == [("/a/", True), ("/b/", False)]
    assert found.htmx_writes == [(1, "<button hx-post='/c/'>")]


@pytest.mark.django_db
def test_every_post_form_and_htmx_write_carries_the_token():
    pages = every_page(demo_dataset())
    missing: list[str] = []
    forms = htmx = 0
    for page in pages:
        found = forms_of(page.html)
        forms += len(found.post_forms)
        missing += [
            f"{page.url} ({page.route}) line {form.line}: <form method=post action={form.action!r}>"
            for form in found.post_forms
            if not form.token
        ]
        if found.htmx_writes:
            htmx += len(found.htmx_writes)
            headers = json.loads(found.body_headers or "{}")
            if not headers.get("X-CSRFToken"):
                missing += [
                    f"{page.url} ({page.route}) line {line}: {what} without <body hx-headers> "
                    "carrying X-CSRFToken"
                    for line, what in found.htmx_writes
                ]
    assert forms > 50 and htmx > 0, (forms, htmx)  # the walk really met the forms
    assert not missing, "Posts without a CSRF token:\n" + "\n".join(missing)


# --- enforcement ------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            routes += _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def _routes() -> list[str]:
    """An example path for every URL pattern of the site (each converter filled in)."""
    paths = {
        "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_EXAMPLES[m.group(1) or "str"], route)
        for route in _patterns(get_resolver())
    }
    return sorted(path for path in paths if "(?P" not in path)


def _is_api(path: str) -> bool:
    return path.startswith("/api/v1/")


@pytest.fixture
def signed_in(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("org_admin", "case_handler", "programme_officer", org="sz"))
    return client


@pytest.mark.django_db
def test_every_page_url_refuses_a_post_without_the_token(signed_in):
    paths = [p for p in _routes() if not _is_api(p)]
    assert len(paths) > 150, len(paths)
    let_through = []
    for path in paths:
        view = resolve(path).func
        if getattr(view, "csrf_exempt", False):
            let_through.append(f"{path}: the view is csrf_exempt")
            continue
        response = signed_in.post(path, {"x": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            let_through.append(f"{path}: {response.status_code}")
    assert not let_through, "Posts without a CSRF token that were not refused:\n" + "\n".join(
        let_through
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/me/sign-in/",
        "/i18n/setlang/",
    ],
)
def test_anonymous_forms_refuse_a_post_without_the_token(path):
    response = Client(enforce_csrf_checks=True).post(path, {"username": "x", "phone": "1"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_post_with_the_token_gets_through(signed_in):
    """The control for the tests above: the same client, with the token, is not refused."""
    signed_in.get("/workers/")
    token = signed_in.cookies["csrftoken"].value
    response = signed_in.post(
        "/i18n/setlang/", {"language": "en", "next": "/workers/"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302
    response = signed_in.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token, "next": "/workers/"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_api_exempt_for_bearer_tokens_but_not_for_browser_sessions(signed_in, admin):
    """Every csrf_exempt view is an API route; a session calling the API needs the token, a
    Bearer token does not (a browser never attaches one to a cross-site request)."""
    exempt = [p for p in _routes() if getattr(resolve(p).func, "csrf_exempt", False)]
    assert exempt and all(_is_api(p) for p in exempt), [p for p in exempt if not _is_api(p)]

    body = json.dumps({"name": "x"})
    response = signed_in.post("/api/v1/employers", body, content_type="application/json")
    assert response.status_code == 403
    signed_in.get("/workers/")
    token = signed_in.cookies["csrftoken"].value
    response = signed_in.post(
        "/api/v1/employers", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code != 403

    _token, key = api_token_create(actor=actor_for(admin), user=admin, name="csrf test")
    bearer = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = bearer.post("/api/v1/employers", body, content_type="application/json")
    assert response.status_code != 403
