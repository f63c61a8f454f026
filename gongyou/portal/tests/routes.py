"""The portal API routes the OpenAPI document must list (tests/test_openapi.py collects them)."""

ROUTES: set[tuple[str, str]] = set()
