"""HTMX helpers shared by the page layers."""

from typing import Any

from django.http import HttpRequest, QueryDict


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The named partial (`template#partial`) for an HTMX request, the whole page otherwise."""
    return f"{template}#{partial}" if is_htmx(request) else template


def list_query(params: Any, *, kind: str, drop: tuple[str, ...] = ()) -> str:
    """The query string that hands a list page's current filters to another page (e.g. the
    export page): empty values, paging, the CSRF token and `drop` (personal data) left out."""
    query = QueryDict(mutable=True)
    for key in params:
        value = params.get(key)
        if value and key not in {"page", "csrfmiddlewaretoken", "kind", *drop}:
            query[key] = value
    query["kind"] = kind
    return query.urlencode()
