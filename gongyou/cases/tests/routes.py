"""Cases API routes added after tests/test_openapi.py's own list (it collects this set too)."""

ROUTES: set[tuple[str, str]] = {
    ("get", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("get", "/api/v1/projects/{project_id}/cases"),
    ("post", "/api/v1/projects/{project_id}/arrears-flag"),
}
