"""HTMX helpers shared by the page layers."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The named partial (`template#partial`) for an HTMX request, the whole page otherwise."""
    return f"{template}#{partial}" if is_htmx(request) else template
