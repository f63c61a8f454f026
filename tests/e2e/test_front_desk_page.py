"""The front desk page carries what its offline mode needs (no browser needed for this one)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_front_desk_page_has_the_offline_queue(make_user, station_factory):
    station = station_factory(region="440305")
    client = Client()
    client.force_login(make_user("station_staff", station=station))
    html = client.get(reverse("stations:front_desk")).content.decode()
    assert 'id="fd-offline"' in html and f'data-station-id="{station.pk}"' in html
    assert f'data-api="{reverse("api:create_visit")}"' in html
    assert f'data-log-url="{reverse("stations:front_desk_log")}"' in html
    assert "stations/front_desk_offline.js" in html and 'id="fd-offline-text"' in html
    assert "<script>" not in html  # no inline code (CSP): texts travel in a <template>
