"""What the navigation needs from training."""

from typing import Any

from django.http import HttpRequest


def training(request: HttpRequest) -> dict[str, Any]:
    return {}
