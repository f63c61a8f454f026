"""The client's address behind a trusted reverse proxy, request context for services (client
address for the audit log), the cached security policy header, the error pages of escaped
application errors, and the request-size limit."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from .audit import current_ip

# What a view may set to change the policy of one response (django-csp's decorators).
_CSP_CUSTOM = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def _csp_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for the enforced and report-only policies."""
    headers = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            config = getattr(settings, name, None) or {}
            headers.append((header, policy, tuple(config.get("EXCLUDE_URL_PREFIXES") or ())))
    return tuple(headers)


@receiver(setting_changed)
def _csp_settings_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_headers.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware with the policy header built once: the policy is the same for
    every response unless a view customises it or asks for a nonce, and building it on each
    response was ~15 % of a logged visit's server CPU. Customised responses take the
    library's own path."""

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _CSP_CUSTOM
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages, as the library leaves them
        for header, policy, excluded in _csp_headers():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        # As the library does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class ProxiedClientAddressMiddleware:
    """Behind reverse proxies listed in TRUSTED_PROXIES (GONGYOU_TRUSTED_PROXIES: addresses or
    networks such as 10.0.0.0/24, IPv4 or IPv6), put the client's address in REMOTE_ADDR, so
    the audit log, the per-address sign-in lockout and the portal's rate limits see the client
    and not the proxy.

    Only a request whose REMOTE_ADDR is a trusted proxy is changed: its X-Forwarded-For is read
    from the right (the addresses appended by proxies we trust) and the first address that is
    not a trusted proxy becomes REMOTE_ADDR. A client's own X-Forwarded-For (left of what the
    proxies appended) is never believed, and a direct request keeps its address. The original is
    kept in META["GONGYOU_PROXY_ADDR"].
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.core.exceptions import ImproperlyConfigured

        self.get_response = get_response
        self.trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in getattr(settings, "TRUSTED_PROXIES", ()):
            try:
                self.trusted.append(ipaddress.ip_network(entry, strict=False))
            except ValueError as exc:
                raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an address") from exc

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self.trusted and self._is_trusted(_address(meta.get("REMOTE_ADDR", ""))):
            chain = [_address(a) for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = None
            for address in reversed(chain):
                if address is None:  # not an address: nothing left of it can be believed
                    break
                if not self._is_trusted(address):
                    client = address
                    break
            if client is not None:
                meta["GONGYOU_PROXY_ADDR"] = meta["REMOTE_ADDR"]
                meta["REMOTE_ADDR"] = str(client)
        return self.get_response(request)

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address, IPv4-mapped IPv6 as IPv4 (::ffff:10.0.0.5 is 10.0.0.5); None if not one."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class AnonymousUntilAuthenticatedMiddleware:
    """For the API-token middleware stack (no sessions): `request.user` is anonymous until
    the API's bearer authentication sets the token's user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ApplicationErrorMiddleware:
    """Pages: an ApplicationError that escapes a view becomes the matching error page
    (NotFound → 404, PermissionDenied → 403, anything else → 400). The API has its own handlers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.views import defaults

        from .errors import ApplicationError, NotFound, PermissionDenied

        if isinstance(exception, NotFound):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        if isinstance(exception, ApplicationError):
            return defaults.bad_request(request, exception)
        return None


def request_max_bytes(path: str) -> int:
    """The largest request body accepted at `path`: REQUEST_MAX_BYTES, or the limit of the
    longest REQUEST_MAX_BYTES_BY_PATH prefix that `path` starts with (the import upload)."""
    from django.conf import settings

    limit = int(settings.REQUEST_MAX_BYTES)
    matched = ""
    for prefix, bytes_ in getattr(settings, "REQUEST_MAX_BYTES_BY_PATH", {}).items():
        if path.startswith(prefix) and len(prefix) > len(matched):
            matched, limit = prefix, int(bytes_)
    return limit


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than the site accepts with 413, judged by its
    Content-Length before anything reads or spools the body (Django keeps uploaded files of any
    size in temporary files otherwise). Form fields have Django's own bound
    (DATA_UPLOAD_MAX_MEMORY_SIZE); each feature's file limit answers 422 naming the field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        limit = request_max_bytes(request.path_info)
        if length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, limit: int) -> HttpResponse:
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.template.defaultfilters import filesizeformat
        from django.utils.translation import gettext as _

        message = _(
            "The upload is larger than %(size)s, the most this page accepts. Nothing was "
            "stored: choose a smaller file."
        ) % {"size": filesizeformat(limit)}
        if request.path_info.startswith("/api/"):
            body = {"code": "request_too_large", "message": message, "fields": {}}
            return JsonResponse(body, status=413)
        return render(request, "413.html", {"message": message}, status=413)
