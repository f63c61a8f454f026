"""What the navigation needs from settlement."""

from typing import Any

from django.http import HttpRequest


def settlement(request: HttpRequest) -> dict[str, Any]:
    return {}
