"""What the navigation needs from indicators."""

from typing import Any

from django.http import HttpRequest


def indicators(request: HttpRequest) -> dict[str, Any]:
    return {}
