"""List pages hand their filters to the export page, never personal data."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_list_pages_link_to_export_with_their_filters(make_user, worker_factory, station_factory):
    worker_factory(name="王芳", phone="13922223333")
    station_factory()
    c = Client()
    c.force_login(make_user("org_admin"))
    html = c.post("/workers/", {"name": "王", "phone": "13922223333"}).content.decode()
    assert "/exports/new/?" in html and "kind=workers" in html and "name=" in html
    assert "13922223333" not in html.split("/exports/new/?")[1].split('"')[0]
    assert "kind=stations" in c.get("/stations/", {"type": "rest_station"}).content.decode()
    page = c.get("/exports/new/?kind=workers&name=%E7%8E%8B")
    assert page.status_code == 200
    assert c.get("/cases/").status_code == 200
