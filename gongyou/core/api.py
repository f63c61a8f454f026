"""API kernel: bearer-token auth, the one error shape, pagination and small schema helpers."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth
from pydantic import Field

from .errors import ApplicationError


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese text as is (not \\u escapes): readable for partners and logs."""

    json_dumps_params = {"ensure_ascii": False}


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, dict[str, str]] = {}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _field_name(loc: list[Any]) -> str:
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "query", "path", "header", "form", "payload", "filters")
    ]
    return ".".join(parts) or "body"


PYDANTIC_CODES = {
    "missing": "required",
    "string_type": "invalid_type",
    "int_parsing": "invalid_type",
    "float_parsing": "invalid_type",
    "bool_parsing": "invalid_type",
    "json_invalid": "invalid_json",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "datetime_parsing": "invalid_datetime",
    "datetime_from_date_parsing": "invalid_datetime",
}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.as_dict())

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, dict[str, str]] = {}
        for err in exc.errors:
            name = _field_name(list(err.get("loc", [])))
            kind = str(err.get("type", "invalid"))
            fields.setdefault(
                name, {"code": PYDANTIC_CODES.get(kind, kind), "message": str(err.get("msg", ""))}
            )
        return error_response(
            api,
            request,
            422,
            {
                "code": "validation_failed",
                "message": _("Some fields are invalid."),
                "fields": fields,
            },
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            {
                "code": "not_authenticated",
                "message": _("Sign in or send a valid bearer token."),
                "fields": {},
            },
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(
            api, request, 404, {"code": "not_found", "message": _("Not found."), "fields": {}}
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(
            api, request, exc.status_code, {"code": "http_error", "message": str(exc), "fields": {}}
        )


def has_bearer_token(meta: Mapping[str, Any]) -> bool:
    """Whether a request (its META or WSGI environ) carries `Authorization: Bearer …`."""
    return str(meta.get("HTTP_AUTHORIZATION", ""))[:7].lower() == "bearer "


class PageSessionAuth(SessionAuth):
    """The pages' session on the API (HTMX), with CSRF. A request with a bearer token is judged
    by its token alone, and one without a session cookie has no session to check: both get
    None here (so 401 when nothing else authenticated them), never a CSRF 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if has_bearer_token(request.META):
            return None
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


def session_auth() -> SessionAuth:
    return PageSessionAuth(csrf=True)


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# Rows a list may skip: more than any table holds, and well inside the databases' 64-bit OFFSET.
MAX_OFFSET = 10**12


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    """ninja's `{items, count}` limit/offset pagination with a bounded `offset`: a huge one is a
    clear 422 naming the field, not a database overflow (500). Every list route uses this one."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
