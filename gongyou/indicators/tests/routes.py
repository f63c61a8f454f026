"""The indicators API routes the OpenAPI document must list (tests/test_openapi.py collects them)."""

ROUTES: set[tuple[str, str]] = {
    ("get", "/api/v1/indicators"),
    ("get", "/api/v1/indicators/{key}"),
    ("get", "/api/v1/indicators/{key}/values"),
    ("get", "/api/v1/briefing"),
}
