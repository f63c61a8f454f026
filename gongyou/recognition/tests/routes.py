"""The recognition API routes the OpenAPI document must list (tests/test_openapi.py collects them)."""

ROUTES: set[tuple[str, str]] = {
    ("get", "/api/v1/award-rounds"),
    ("post", "/api/v1/award-rounds"),
    ("get", "/api/v1/award-rounds/{round_id}"),
    ("patch", "/api/v1/award-rounds/{round_id}"),
    ("post", "/api/v1/award-rounds/{round_id}/quotas"),
    ("post", "/api/v1/award-rounds/{round_id}/conclude"),
    ("post", "/api/v1/award-rounds/{round_id}/nominations"),
    ("get", "/api/v1/nominations"),
    ("get", "/api/v1/nominations/{nomination_id}"),
    ("patch", "/api/v1/nominations/{nomination_id}"),
    ("post", "/api/v1/nominations/{nomination_id}/transition"),
    ("post", "/api/v1/nominations/{nomination_id}/evidence"),
    ("get", "/api/v1/nominations/{nomination_id}/evidence"),
    ("get", "/api/v1/nominations/{nomination_id}/evidence/{evidence_id}"),
    ("get", "/api/v1/nominations/{nomination_id}/objections"),
    ("post", "/api/v1/nominations/{nomination_id}/objections"),
    ("post", "/api/v1/nominations/{nomination_id}/objections/{objection_id}/handle"),
}
