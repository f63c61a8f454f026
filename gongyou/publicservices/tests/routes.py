"""The publicservices API routes the OpenAPI document must list (tests/test_openapi.py collects them)."""

ROUTES: set[tuple[str, str]] = {
    ("get", "/api/v1/public-services"),
    ("post", "/api/v1/public-services"),
    ("get", "/api/v1/public-services/{service_id}"),
    ("post", "/api/v1/public-services/{service_id}/versions"),
    ("patch", "/api/v1/public-service-versions/{version_id}"),
    ("post", "/api/v1/public-service-versions/{version_id}/transition"),
    ("get", "/api/v1/workers/{worker_id}/family"),
    ("post", "/api/v1/workers/{worker_id}/family"),
    ("patch", "/api/v1/workers/{worker_id}/family/{member_id}"),
    ("delete", "/api/v1/workers/{worker_id}/family/{member_id}"),
    ("get", "/api/v1/workers/{worker_id}/public-services"),
    ("post", "/api/v1/service-referrals"),
    ("get", "/api/v1/service-referrals"),
    ("get", "/api/v1/service-referrals/{referral_id}"),
    ("post", "/api/v1/service-referrals/{referral_id}/transition"),
}
