"""Staff who need two-factor sign-in (accounts.twofactor) reach nothing but the enrolment and
verification pages until their session is verified; on the API such a session gets 401. A
bearer token is judged on its own: tokens for these users are issued only with a code."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .twofactor import totp_device, two_factor_required

EXEMPT = ("/accounts/login/", "/accounts/logout/", "/accounts/two-factor/", "/i18n/", "/static/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT)
            and not user.is_verified()  # type: ignore[attr-defined]  # OTPMiddleware
            and two_factor_required(user)
        ):
            if request.path.startswith("/api/"):
                # Whatever else the request carries: a session user is one not yet verified.
                # (Calls with a bearer token are judged by the token: in production they do not
                # pass here at all, gongyou/config/wsgi.py, and carry no session user.)
                return JsonResponse(
                    {
                        "code": "two_factor_required",
                        "message": _("Confirm the sign-in with your authenticator code first."),
                        "fields": {},
                    },
                    status=401,
                )
            else:
                name = "two_factor_verify" if totp_device(user) else "two_factor_setup"
                url = f"{reverse('accounts:' + name)}?next={quote(request.get_full_path())}"
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        return self.get_response(request)
