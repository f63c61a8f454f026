"""Authorisation matrix: every API operation and every page, called as every principal, in and
out of scope, answers as its rule in tests/authz_rules.py says.

Routes are enumerated from the root URLconf (walking every include) and from the OpenAPI
document; a route without a rule fails `test_every_route_has_a_rule` naming it, so a new route
cannot ship without deciding who may call it. Principals: anonymous, a worker signed in to the
portal, and one Shenzhen-federation user per role (station staff bound to the Nanshan station).
The objects come from tests/authz_world.py, built once per module (one transaction rolled back
at the end; each test runs in its own savepoint, so a write one test accepts is undone).

How the answer is judged (see `expected()`):
- a principal the rule does not allow: anonymous and portal workers get 401 from the API and a
  redirect (302) to a sign-in page from pages; staff get the rule's `deny` status (403, or 404
  where the policy hides the object) unless `deny_for` says otherwise for that role;
- an allowed principal in scope: the rule's `ok` status for reads; for writes, any answer that
  shows the call went past the gate (not 401/403/404/405, no server error) for one role;
- an allowed principal with an object outside its scope: 404 ("missing and forbidden look the
  same").

Set AUTHZ_RECORD=/some/file.jsonl to write the observed answers instead of asserting (used to
draft the rules of a new app; read the draft critically before pasting it).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz_rules import (
    API_RULES,
    BODIES,
    GATE_PASSED,
    PAGE_RULES,
    PARAM_KINDS,
    PARAM_VALUES,
    PREFIX_KINDS,
    PREFIX_VALUES,
    SKIPPED_PAGES,
    Rule,
)
from tests.authz_world import ANONYMOUS, PDF, PRINCIPALS, STAFF, WORKER, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
RECORD = os.environ.get("AUTHZ_RECORD")
API_PREFIX = "/api/v1/"


# --- Enumeration -----------------------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", ns: tuple[str, ...] = ()) -> Iterator[Any]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = (*ns, p.namespace) if p.namespace else ns
            yield from _walk(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield "/" + prefix + str(p.pattern), ":".join((*ns, p.name or f"<unnamed {p}>"))


@functools.cache
def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern of the root URLconf, includes walked."""
    return list(_walk(get_resolver()))


@functools.cache
def _openapi() -> dict[str, Any]:
    from gongyou.config.api import api

    return api.get_openapi_schema(path_prefix=API_PREFIX.rstrip("/"))


def api_operations() -> list[str]:
    spec = _openapi()
    return sorted(
        f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops
    )


def _api_path(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_names() -> list[str]:
    """Every URL name outside the API (the API's own patterns are its OpenAPI operations)."""
    spec_paths = set(_openapi()["paths"])
    names = []
    for route, name in url_patterns():
        if name.startswith("api:") and _api_path(route) in spec_paths:
            continue
        names.append(name)
    return sorted(names)


def test_every_route_has_a_rule() -> None:
    names = [name for _route, name in url_patterns()]
    duplicated = sorted({n for n in names if names.count(n) > 1 and not n.startswith("api:")})
    assert not duplicated, f"page URL names must be unique to key their rules: {duplicated}"
    missing = [f"API  {op}" for op in api_operations() if op not in API_RULES]
    missing += [
        f"page {name}"
        for name in page_names()
        if name not in PAGE_RULES and name not in SKIPPED_PAGES
    ]
    assert not missing, (
        "routes without an authorisation rule (add one to tests/authz_rules.py):\n  "
        + "\n  ".join(missing)
    )
    stale = sorted(set(API_RULES) - set(api_operations()))
    stale += sorted((set(PAGE_RULES) | set(SKIPPED_PAGES)) - set(page_names()))
    assert not stale, f"rules for routes that no longer exist: {stale}"


# --- The world and its callers ---------------------------------------------------------------


def client_for(world: dict[str, Any], principal: str, *, api: bool) -> Client:
    if principal in STAFF and api:
        return Client(headers={"Authorization": f"Bearer {world['_tokens'][principal]}"})
    c = Client()
    c.cookies["django_language"] = "en"
    if principal != ANONYMOUS:
        c.cookies[settings.SESSION_COOKIE_NAME] = world["_sessions"][principal]
    return c


# --- Filling in paths and bodies -------------------------------------------------------------


def _object(world: dict[str, Any], kind: str, scope: str, principal: str) -> Any:
    entry = world[kind]
    value = entry["out"] if scope == "out" and entry["out"] is not None else entry["in"]
    if isinstance(value, dict):  # objects that belong to one caller
        value = value.get(principal, value[STAFF[0]])
    return value


def fill(
    template: str,
    rule: Rule,
    world: dict[str, Any],
    scope: str,
    principal: str,
    *,
    body_scoped: bool = False,
) -> str | None:
    """The URL with every parameter filled; None when neither a parameter nor the body
    (`body_scoped`) has an out-of-scope value (then "out of scope" does not apply)."""
    scoped = body_scoped

    def value(match: re.Match[str]) -> str:
        nonlocal scoped
        name = match.group(1)
        literal = rule.params.get(name) or _by_prefix(PREFIX_VALUES, template, name)
        if literal is None and name not in rule.kinds:
            literal = PARAM_VALUES.get(name)
        if literal is not None:
            return str(literal)
        kind = rule.kinds.get(name) or _by_prefix(PREFIX_KINDS, template, name) or PARAM_KINDS[name]
        if world[kind]["out"] is not None:
            scoped = True
        return str(_object(world, kind, scope, principal))

    url = re.sub(r"\{(\w+)\}", value, template)
    if scope == "out" and not scoped:
        return None
    return url


def _by_prefix(table: list[tuple[str, str, str]], template: str, name: str) -> str | None:
    for prefix, param, value in table:
        if template.startswith(prefix) and param == name:
            return value
    return None


def page_template(name: str) -> str:
    for route, n in url_patterns():
        if n == name:
            return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    raise KeyError(name)


def _sample(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> Any:
    """A minimal instance of a JSON schema (required properties only)."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _sample(options[0], spec, depth) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    fmt = schema.get("format")
    if kind == "object" or "properties" in schema:
        return {
            name: 1 if name == "version" else _sample(schema["properties"][name], spec, depth + 1)
            for name in schema.get("required", [])
        }
    if kind == "array":
        n = schema.get("minItems", 0)
        return [_sample(schema.get("items", {}), spec, depth + 1) for _ in range(n)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if fmt == "date":
        return dt.date(2026, 1, 15).isoformat()
    if fmt == "date-time":
        return "2026-01-15T10:00:00+08:00"
    if fmt == "binary":
        return SimpleUploadedFile("a.pdf", PDF)
    return "x" * max(1, schema.get("minLength", 1))


def api_call(
    client: Client, method: str, url: str, body: Any, op: dict[str, Any], spec: dict[str, Any]
) -> Any:
    if method == "GET":
        return client.get(url, body or {})
    content = op.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        data = _sample(content["multipart/form-data"]["schema"], spec)
        data = {**data, **(body or {})}
        return client.post(url, data)
    if body is None:
        schema = content.get("application/json", {}).get("schema")
        body = _sample(schema, spec) if schema else None
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def page_call(client: Client, rule: Rule, url: str, body: Any) -> Any:
    if rule.method == "POST":
        return client.post(url, body or {})
    return client.get(url, body or {})


# --- Expectations ----------------------------------------------------------------------------


def expected(rule: Rule, principal: str, scope: str, *, api: bool) -> int | str:
    if principal in rule.allow:
        return rule.out if scope == "out" else rule.ok
    if principal in rule.deny_for:
        return rule.deny_for[principal]
    if principal in (ANONYMOUS, WORKER):
        return 401 if api else 302
    return rule.deny


def matches(want: int | str, status: int) -> bool:
    if want == GATE_PASSED:
        return status not in (401, 403, 404, 405) and status < 500
    return status == want


def _is_write(rule: Rule, method: str) -> bool:
    return method != "GET" if rule.method is None else rule.method != "GET"


def plan(rule: Rule, method: str) -> list[tuple[str, str]]:
    """(principal, scope) calls, in an order where a write accepted last changes nothing else."""
    if RECORD:
        return [(p, s) for p in PRINCIPALS for s in ("out", "in")]
    calls = [(p, "in") for p in PRINCIPALS if p not in rule.allow]
    allowed = [p for p in PRINCIPALS if p in rule.allow]
    calls += [(p, "out") for p in allowed]
    if _is_write(rule, method) and rule.ok == GATE_PASSED:
        acceptor = (rule.acceptor or allowed[0]) if allowed and rule.accept else None
        calls += [(acceptor, "in")] if acceptor else []
    else:
        calls += [(p, "in") for p in allowed]
    return calls


def run_calls(
    key: str, rule: Rule, template: str, world: dict[str, Any], call: Any, *, api: bool
) -> None:
    method = key.split(" ", 1)[0] if api else (rule.method or "GET")
    wrong = []
    seen = []
    body_of = rule.body or BODIES.get(key)
    for principal, scope in plan(rule, method):
        url = fill(template, rule, world, scope, principal, body_scoped=rule.body_scoped)
        if url is None:
            continue
        body = body_of(world, scope) if callable(body_of) else body_of
        res = call(client_for(world, principal, api=api), url, body)
        seen.append(
            {"route": key, "principal": principal, "scope": scope, "status": res.status_code}
        )
        want = expected(rule, principal, scope, api=api)
        if not RECORD and not matches(want, res.status_code):
            body = (
                res.content[:200].decode(errors="replace")
                if res.status_code != 302
                else res.get("Location")
            )
            wrong.append(
                f"{principal:>18} {scope:>3} {url}: got {res.status_code}, want {want} ({body})"
            )
    if RECORD:
        with open(RECORD, "a", encoding="utf-8") as out:
            for line in seen:
                out.write(json.dumps(line) + "\n")
        return
    assert not wrong, f"{key}:\n" + "\n".join(wrong)


PROBE = Rule(allow=frozenset(PRINCIPALS))  # AUTHZ_RECORD only: call as everyone, in and out


@pytest.mark.parametrize("key", api_operations() if RECORD else sorted(API_RULES))
def test_api_route(key: str, world: dict[str, Any]) -> None:
    rule = API_RULES.get(key, PROBE) if not RECORD else _probe(API_RULES.get(key))
    method, template = key.split(" ", 1)
    spec = _openapi()
    op = spec["paths"][template][method.lower()]

    def call(client: Client, url: str, body: Any) -> Any:
        return api_call(client, method, url, body, op, spec)

    run_calls(key, rule, template, world, call, api=True)


def _probe(rule: Rule | None) -> Rule:
    if rule is None:
        return PROBE
    import dataclasses

    return dataclasses.replace(rule, allow=frozenset(PRINCIPALS), ok=200)


@pytest.mark.parametrize("name", page_names() if RECORD else sorted(PAGE_RULES))
def test_page(name: str, world: dict[str, Any]) -> None:
    if name in SKIPPED_PAGES:
        pytest.skip(SKIPPED_PAGES[name])
    rule = PAGE_RULES.get(name, PROBE) if not RECORD else _probe(PAGE_RULES.get(name))

    def call(client: Client, url: str, body: Any) -> Any:
        return page_call(client, rule, url, body)

    run_calls(name, rule, page_template(name), world, call, api=False)
