"""The portal's own session sign-in, separate from staff users (docs/decisions/0011).

The session holds the account id and the account's `session_version`; bumping the version on
the account (sign-out, a change of link) ends every session of that account. A staff user and a
worker can be signed in in the same browser without one seeing the other's pages: staff pages
read `request.user`, portal pages read only these keys.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from .models import PortalAccount

SESSION_ACCOUNT = "portal_account_id"
SESSION_VERSION = "portal_session_version"
SESSION_PHONE = "portal_pending_phone"
PORTAL_LANGUAGE = "zh-hans"


def portal_sign_in(request: HttpRequest, account: PortalAccount) -> None:
    request.session.cycle_key()  # a new session id at sign-in (no fixation)
    request.session[SESSION_ACCOUNT] = account.pk
    request.session[SESSION_VERSION] = account.session_version
    request.session.pop(SESSION_PHONE, None)


def portal_sign_out(request: HttpRequest) -> None:
    account = portal_account(request)
    if account is not None:
        from django.db.models import F

        PortalAccount.objects.filter(pk=account.pk).update(session_version=F("session_version") + 1)
    for key in (SESSION_ACCOUNT, SESSION_VERSION, SESSION_PHONE):
        request.session.pop(key, None)


def portal_account(request: HttpRequest) -> PortalAccount | None:
    cached = getattr(request, "_portal_account", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    account = None
    account_id = request.session.get(SESSION_ACCOUNT)
    if account_id:
        account = PortalAccount.objects.select_related("worker").filter(pk=account_id).first()
        if account is None or account.session_version != request.session.get(SESSION_VERSION):
            account = None
            for key in (SESSION_ACCOUNT, SESSION_VERSION):
                request.session.pop(key, None)
    request._portal_account = account  # type: ignore[attr-defined]
    return account


def portal_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Chinese unless the visitor chose a language (the language cookie): workers' phones are
    often set to English by the factory, which must not switch the portal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else PORTAL_LANGUAGE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapper


def account_required(
    linked: bool = True,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed-in portal account (and, by default, linked to a registry worker)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            account = portal_account(request)
            if account is None:
                return redirect(f"{_url('portal:sign_in')}?next={request.path}")
            if linked and account.worker_id is None:
                return redirect("portal:link")
            return view(request, account, *args, **kwargs)

        return portal_language(wrapper)

    return decorate


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
