"""What the navigation needs from jobs."""

from typing import Any

from django.http import HttpRequest


def jobs(request: HttpRequest) -> dict[str, Any]:
    return {}
