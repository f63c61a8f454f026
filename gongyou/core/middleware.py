"""Request context for services (client address for the audit log)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import current_ip


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
