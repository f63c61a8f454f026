"""What the navigation needs from recognition."""

from typing import Any

from django.http import HttpRequest


def recognition(request: HttpRequest) -> dict[str, Any]:
    return {}
