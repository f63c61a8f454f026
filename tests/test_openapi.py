"""The API contract: every documented route, its error responses, and locally served docs."""

import importlib
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROUTES = {
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/regions/{code}"),
    ("patch", "/api/v1/regions/{code}"),
    ("get", "/api/v1/occupations"),
    ("get", "/api/v1/classifications"),
    ("post", "/api/v1/workers"),
    ("get", "/api/v1/workers"),
    ("get", "/api/v1/workers/{worker_id}"),
    ("patch", "/api/v1/workers/{worker_id}"),
    ("post", "/api/v1/workers/{worker_id}/reveal"),
    ("get", "/api/v1/workers/{worker_id}/certificates"),
    ("post", "/api/v1/workers/{worker_id}/certificates"),
    ("post", "/api/v1/workers/{worker_id}/consents"),
    ("get", "/api/v1/workers/{worker_id}/timeline"),
    ("get", "/api/v1/service-types"),
    ("get", "/api/v1/station-types"),
    ("post", "/api/v1/stations"),
    ("get", "/api/v1/stations"),
    ("get", "/api/v1/stations/{station_id}"),
    ("patch", "/api/v1/stations/{station_id}"),
    ("get", "/api/v1/stations/{station_id}/today"),
    ("post", "/api/v1/visits"),
    ("get", "/api/v1/visits"),
    ("get", "/api/v1/visits/{visit_id}"),
    ("post", "/api/v1/employers"),
    ("get", "/api/v1/employers"),
    ("get", "/api/v1/employers/{employer_id}"),
    ("post", "/api/v1/employers/{employer_id}/arrears-flag"),
    ("get", "/api/v1/employers/{employer_id}/cases"),
    ("post", "/api/v1/cases"),
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/cases/{case_id}"),
    ("post", "/api/v1/cases/{case_id}/attachments"),
    ("get", "/api/v1/cases/{case_id}/attachments"),
    ("get", "/api/v1/cases/{case_id}/attachments/{attachment_id}"),
    ("post", "/api/v1/cases/{case_id}/transition"),
    ("post", "/api/v1/cases/{case_id}/assign"),
    ("post", "/api/v1/cases/{case_id}/transfer"),
    ("post", "/api/v1/cases/{case_id}/refer"),
    ("post", "/api/v1/cases/{case_id}/claimants"),
    ("patch", "/api/v1/cases/{case_id}/claimants/{claimant_id}"),
    ("post", "/api/v1/cases/{case_id}/deadlines/{deadline_id}/extend"),
    ("post", "/api/v1/cases/{case_id}/deadlines/{deadline_id}/met"),
    ("post", "/api/v1/cases/{case_id}/notes"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("get", "/api/v1/calendar-days"),
    ("post", "/api/v1/calendar-days"),
}
ROUTES |= {
    ("post", "/api/v1/exports"),
    ("get", "/api/v1/exports"),
    ("get", "/api/v1/exports/{export_id}"),
    ("post", "/api/v1/exports/{export_id}/retry"),
    ("get", "/api/v1/exports/{export_id}/download"),
}
ROUTES |= {
    ("post", "/api/v1/imports"),
    ("get", "/api/v1/imports"),
    ("get", "/api/v1/imports/{job_id}"),
    ("get", "/api/v1/imports/{job_id}/errors"),
}
ROUTES |= {
    ("get", "/api/v1/workers/duplicates"),
    ("post", "/api/v1/workers/{keep_id}/merge"),
    ("post", "/api/v1/worker-merges/{merge_id}/undo"),
}
# Newer apps list their routes next to their own tests, in gongyou/<app>/tests/routes.py.
for _routes in sorted(Path(__file__).resolve().parents[1].glob("gongyou/*/tests/routes.py")):
    ROUTES |= importlib.import_module(f"gongyou.{_routes.parts[-3]}.tests.routes").ROUTES


@pytest.fixture
def spec(client):
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200
    return res.json()


def test_every_route_is_documented_with_the_error_shape(spec):
    documented = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert documented == ROUTES
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if (method, path) != ("post", "/api/v1/auth/token"):
                assert "401" in op["responses"], (method, path)
            assert "422" in op["responses"], (method, path)


def test_required_fields_are_documented(spec):
    schema = spec["components"]["schemas"]["WorkerCreate"]
    assert set(schema["required"]) == {
        "national_id",
        "name",
        "phone",
        "hukou_region",
        "current_region",
    }
    assert set(spec["components"]["schemas"]["VisitCreate"]["required"]) == {
        "station_id",
        "service",
    }
    assert set(spec["components"]["schemas"]["CaseCreate"]["required"]) == {
        "type",
        "summary",
        "region",
        "claimants",
    }
    assert set(spec["components"]["schemas"]["TransitionIn"]["required"]) == {
        "to_status",
        "reason",
        "version",
    }


def test_docs_are_served_locally(client):
    html = client.get("/api/v1/docs").content.decode()
    # Every script and stylesheet is served from our own /static/, never a CDN.
    # (Checked on src/href attributes: the page also carries a random CSRF token.)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert assets and all(a.startswith("/static/") for a in assets), assets


def test_json_keeps_chinese_readable(api):
    res = api.get("/api/v1/regions/440305")
    assert "南山区".encode() in res.content and b"\\u" not in res.content
    assert res["Content-Type"].startswith("application/json")
