"""The WSGI application: Django's handler, and a leaner one for API calls with a bearer token.

A request to /api/ that carries `Authorization: Bearer …` is judged by its token alone: it has
no session, no CSRF cookie, no messages and no page to render, so it goes through
settings.API_TOKEN_MIDDLEWARE — the middleware that still matters to it (the client's address,
security headers, language, the request-size limit, the audit context) — instead of the whole
settings.MIDDLEWARE. That is about a fifth of the CPU of a visit logged through the API, the
hottest request (benchmarks/RESULTS.md, load test). Every other request, including API calls
authenticated by the session cookie of the pages, takes the full stack.
"""

import os
import threading
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyou.config.settings.dev")

_django_application = get_wsgi_application()  # sets Django up

from gongyou.core.api import has_bearer_token  # noqa: E402 - needs the apps loaded

_loading = threading.Lock()


class TokenApiHandler(WSGIHandler):
    """Django's WSGI handler with settings.API_TOKEN_MIDDLEWARE as its middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        from django.conf import settings

        # BaseHandler reads settings.MIDDLEWARE; point it at the lean list while it loads.
        with _loading:
            full = settings.MIDDLEWARE
            settings.MIDDLEWARE = settings.API_TOKEN_MIDDLEWARE
            try:
                super().load_middleware(is_async)
            finally:
                settings.MIDDLEWARE = full


def is_token_api_call(environ: dict[str, Any]) -> bool:
    return environ.get("PATH_INFO", "").startswith("/api/") and has_bearer_token(environ)


class GongyouApplication:
    def __init__(self) -> None:
        self.full = _django_application
        self.token_api = TokenApiHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if is_token_api_call(environ):
            return self.token_api(environ, start_response)
        return self.full(environ, start_response)


application = GongyouApplication()
