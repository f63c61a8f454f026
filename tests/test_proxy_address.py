"""The client's address behind a trusted reverse proxy (ProxiedClientAddressMiddleware): only a
trusted proxy's X-Forwarded-For is believed, read from the right."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from gongyou.core.middleware import ProxiedClientAddressMiddleware
from gongyou.core.models import AuditEvent
from gongyou.testing import api_client_for

PROXY = "10.0.0.5"


def _seen(settings, trusted, remote, forwarded=None):
    settings.TRUSTED_PROXIES = trusted
    seen: dict[str, str | None] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["addr"] = request.META.get("REMOTE_ADDR")
        seen["proxy"] = request.META.get("GONGYOU_PROXY_ADDR")
        return HttpResponse()

    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    ProxiedClientAddressMiddleware(view)(RequestFactory().get("/", **headers))
    return seen["addr"], seen["proxy"]


def test_a_trusted_proxy_passes_on_the_client_address(settings):
    assert _seen(settings, [PROXY], PROXY, "203.0.113.7") == ("203.0.113.7", PROXY)


def test_the_address_a_client_wrote_itself_is_not_believed(settings):
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    assert _seen(settings, [PROXY], PROXY, "1.2.3.4, 203.0.113.7") == ("203.0.113.7", PROXY)


def test_proxies_may_be_networks_and_ipv6(settings):
    trusted = ["10.0.0.0/24", "fd00::/8"]
    assert _seen(settings, trusted, "10.0.0.77", "203.0.113.7")[0] == "203.0.113.7"
    assert _seen(settings, trusted, "fd00::5", "2001:db8::1, fd00::9")[0] == "2001:db8::1"
    # An IPv4-mapped IPv6 address is the IPv4 one, on either side.
    assert _seen(settings, [PROXY], "::ffff:10.0.0.5", "203.0.113.7")[0] == "203.0.113.7"
    assert _seen(settings, [PROXY], PROXY, "203.0.113.7, ::ffff:10.0.0.5")[0] == "203.0.113.7"


def test_a_misconfigured_proxy_list_stops_the_start(settings):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="not-an-ip"):
        _seen(settings, ["not-an-ip"], PROXY, "203.0.113.7")


def test_a_chain_of_trusted_proxies_is_skipped(settings):
    chain = "203.0.113.7, 10.0.0.9"
    assert _seen(settings, [PROXY, "10.0.0.9"], PROXY, chain) == ("203.0.113.7", PROXY)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded"),
    [
        ([], PROXY, "203.0.113.7"),  # no proxy configured (the default)
        ([PROXY], "198.51.100.2", "203.0.113.7"),  # a direct client sending the header
        ([PROXY], PROXY, None),  # the proxy sent no header
        ([PROXY], PROXY, "not-an-address"),  # garbage is not an address
        ([PROXY], PROXY, PROXY),  # nothing but trusted proxies
        ([PROXY], PROXY, "203.0.113.7, junk"),  # nothing left of garbage is believed
    ],
)
def test_the_address_is_kept_otherwise(settings, trusted, remote, forwarded):
    assert _seen(settings, trusted, remote, forwarded) == (remote, None)


@pytest.mark.django_db
def test_the_audit_log_records_the_client_behind_the_proxy(settings, admin, station_factory):
    settings.TRUSTED_PROXIES = [PROXY]
    station = station_factory()
    client = api_client_for(admin)  # created after the setting: its middleware reads it
    resp = client.post(
        "/api/v1/visits",
        {"station_id": station.pk, "service": station.services[0]},
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert resp.status_code == 201, resp.content
    event = AuditEvent.objects.get(action="visit.log", entity_id=str(resp.json()["id"]))
    assert event.ip_address == "203.0.113.7"
