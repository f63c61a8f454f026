"""Every page a signed-in user can reach, for the cross-cutting page checks (tests/test_csp.py,
tests/test_csrf.py): a small demo dataset (workers, stations, visits, the programme areas, a case
filed from the portal), then a breadth-first walk of the links and HTMX GETs of the staff pages
(as a user holding every role) and of the worker portal (as the demo worker).

At most PER_ROUTE pages per URL name are fetched (the first few details of each kind), so the
walk stays fast while still reaching every page kind the navigation leads to.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

PER_ROUTE = 2
MAX_PAGES = 600
# Not pages: the API (JSON; its docs page is added as a seed), the language switch, sign-out.
SKIP_PREFIXES = ("/api/v1/", "/i18n/", "/static/", "/healthz")
SKIP_ROUTES = {"accounts:logout", "portal:sign_out"}
STAFF_SEEDS = ("/", "/api/v1/docs")
PORTAL_SEEDS = ("/me/",)


@dataclass(frozen=True)
class Page:
    url: str
    route: str
    html: str


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        get_form = tag == "form" and (dict(attrs).get("method") or "get").lower() == "get"
        for name, value in attrs:
            if value and (
                (name == "href" and tag == "a")
                or name == "hx-get"
                or (name == "action" and get_form)
            ):
                self.links.append(value)


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _same_site(url: str) -> str | None:
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return url


def crawl(client: Client, seeds: tuple[str, ...], *, prefix: str = "/") -> Iterator[Page]:
    """Yield every HTML page reachable from `seeds` under `prefix` with a 200 answer."""
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    queue: deque[str] = deque(seeds)
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        route = route_of(path)
        if route is None or route in SKIP_ROUTES:
            continue
        if not path.startswith(prefix) or (
            path.startswith(SKIP_PREFIXES) and path != "/api/v1/docs"
        ):
            continue
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        fetched += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if getattr(response, "streaming", False):
            continue
        html = response.content.decode()
        yield Page(url=url, route=route, html=html)
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            target = _same_site(link)
            if target and target not in seen:
                queue.append(target)


def portal_client(account: Any) -> Client:
    """A client signed in to the worker portal as `account`, in English."""
    from gongyou.portal.auth import SESSION_ACCOUNT, SESSION_VERSION

    client = Client()
    client.cookies["django_language"] = "en"
    session = client.session
    session[SESSION_ACCOUNT] = account.pk
    session[SESSION_VERSION] = account.session_version
    session.save()
    return client


def portal_client_for(worker: Any) -> Client:
    """A portal account linked to `worker` (as after a first sign-in), and its client."""
    from gongyou.core import crypto
    from gongyou.portal.models import PortalAccount
    from gongyou.portal.services import _link
    from gongyou.workers.identity import mask_phone

    phone = crypto.decrypt(worker.phone_enc, context="phone")
    account = PortalAccount.objects.create(
        phone_enc=worker.phone_enc,
        phone_hash=crypto.blind_index(phone, context="phone"),
        phone_masked=mask_phone(phone),
    )
    return portal_client(_link(account=account, worker=worker, by=None, how="test"))


def demo_dataset() -> dict[str, Any]:
    """The demo population (small), a staff user with every role, a case and a portal client."""
    from gongyou.accounts.enums import Role
    from gongyou.accounts.models import Organisation
    from gongyou.accounts.services import user_create
    from gongyou.cases.services import case_file_by_worker
    from gongyou.core import crypto
    from gongyou.portal.demo import DEMO_PHONE
    from gongyou.portal.models import PortalAccount
    from gongyou.portal.policies import PortalPrincipal
    from gongyou.stations.models import Station

    call_command("demo", workers=300, stations=6, visits=60, programmes=True, seed=7, verbosity=0)
    national = Organisation.objects.filter(parent=None).order_by("pk").first()
    assert national is not None
    station = Station.objects.order_by("pk").first()
    user = user_create(
        actor=None,
        username="every_role",
        password=None,
        organisation=national,
        roles=list(Role.values),
        station=station,
    )
    account = PortalAccount.objects.get(phone_hash=crypto.blind_index(DEMO_PHONE, context="phone"))
    assert account.worker is not None
    case = case_file_by_worker(
        worker=account.worker,
        principal=PortalPrincipal(account_id=account.pk, worker_id=account.worker_id),
        data={
            "type": "wage_arrears",
            "summary": "拖欠两个月工资",
            "region": account.worker.current_region_id,
        },
    )
    staff = Client()
    staff.cookies["django_language"] = "en"
    staff.force_login(user)
    portal = portal_client(account)
    return {"user": user, "account": account, "case": case, "staff": staff, "portal": portal}


def every_page(data: dict[str, Any]) -> list[Page]:
    pages = list(crawl(data["staff"], STAFF_SEEDS))
    pages += list(crawl(data["portal"], PORTAL_SEEDS, prefix="/me/"))
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    pages += list(crawl(anonymous, ("/accounts/login/", "/me/sign-in/"), prefix="/"))
    return pages
