"""Pages offer exactly the writes the service layer accepts.

For each main role, every write control of the public-service pages (a link to a form page, a
form that posts, a status button) is checked against the service itself: the control is on the
page exactly when the service, called the way the API calls it (the record fetched through its
selector, then the write), accepts the write. A form page (new service, new or edited version,
family member, new or edited activity) answers a GET with the service's answer (200, 403 or
404), and posting the control's form through the page changes the data exactly when the service
accepts it (each accepted write is rolled back, so the roles see the same records). The
`ALLOWED` table pins which writes each role has, so the test also fails when page and service
drift from the rules together.

The same holds for the writes the service refuses because of the record's state rather than the
user's role (`check_states`, as a system admin, whose role allows every write): each control is
met on a record in a state that allows it and one that does not (registration whose window is
over, a family member with referrals, a published or withdrawn version, a held or cancelled
activity). A form page for a record whose state forbids the edit sends the user back to the
record with the service's reason instead of a form; a forced POST changes nothing and is answered
with the reason (a message on the record's page, 409, or the form again for a validation error).
`STATE_ALLOWED` pins which states allow each write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.policies import Actor, actor_for
from gongyou.accounts.services import organisation_create, user_create
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.publicservices import selectors, services
from gongyou.publicservices.models import (
    Activity,
    ActivityRegistration,
    FamilyMember,
    PublicService,
    Referral,
    ServiceVersion,
)

from .conftest import activity_data

pytestmark = pytest.mark.django_db

ROLES = (
    "system_admin",
    "org_admin",  # of the Shenzhen federation: edits Shenzhen's catalogue
    "national_org_admin",  # of the national federation: edits no city's catalogue
    "other_city_officer",  # a programme officer of the Guangzhou federation
    "station_staff",  # bound to the Nanshan station where the activities take place
    "analyst",
    "department",  # a programme officer of the Shenzhen education bureau (partner department)
)
# The city and county where each role would add a service or an activity of its own.
HOME = {role: ("440300", "440305") for role in ROLES} | {"other_city_officer": ("440100", "440106")}

CATALOGUE = {
    "add_service",
    "draft_version",
    "edit_draft",
    "publish_draft",
    "withdraw_draft",
    "withdraw_published",
}
FAMILY_AND_REFERRAL = {"add_family_member", "edit_family_member", "refer"}
OUTCOMES = {"referral_pending", "referral_granted", "referral_refused"}
ACTIVITIES = {
    "new_activity",
    "edit_activity",
    "close_registration",
    "cancel_activity",
    "register",
    "cancel_registration",
    "record_held",
    "cancel_closed_activity",
    "cancel_registration_closed",
    "mark_attended",
    "mark_absent",
    "correct_to_absent",
    "feedback",
}
WITHDRAW = {"referral_withdrawn"}  # the referring organisation's (the Shenzhen federation)
ALLOWED: dict[str, set[str]] = {
    "system_admin": CATALOGUE | FAMILY_AND_REFERRAL | OUTCOMES | WITHDRAW | ACTIVITIES,
    "org_admin": CATALOGUE | FAMILY_AND_REFERRAL | WITHDRAW | ACTIVITIES,
    "national_org_admin": FAMILY_AND_REFERRAL | ACTIVITIES,
    "other_city_officer": {"new_activity"},  # in Guangzhou; Shenzhen's records are not in scope
    "station_staff": FAMILY_AND_REFERRAL | WITHDRAW | ACTIVITIES,
    "analyst": set(),
    "department": FAMILY_AND_REFERRAL | OUTCOMES | ACTIVITIES,
}


# -- the people and their records ------------------------------------------------------------


@pytest.fixture
def station(station_factory: Callable[..., Any]) -> Any:
    return station_factory()


@pytest.fixture
def users(
    admin: Any,
    sz_admin: Any,
    make_user: Callable[..., Any],
    orgs: Any,
    station: Any,
    department: Any,
) -> dict[str, Any]:
    guangzhou = organisation_create(
        actor=None,
        name="广州市总工会",
        kind=OrganisationKind.CITY_FEDERATION,
        region_code="440100",
        parent=orgs["gd"],
    )

    def member_of(org: Any, role: str, username: str) -> Any:
        return user_create(
            actor=None,
            username=username,
            password=None,
            organisation=org,
            roles=[role],
            station=None,
        )

    return {
        "system_admin": admin,
        "org_admin": sz_admin,
        "national_org_admin": make_user("org_admin", org="national"),
        "other_city_officer": member_of(guangzhou, "programme_officer", "gz_officer"),
        "station_staff": make_user("station_staff", org="sz", station=station),
        "analyst": make_user("analyst", org="sz"),
        "department": member_of(department, "programme_officer", "edu_officer"),
    }


# -- reading a page's controls and probing the service ----------------------------------------


class _Controls(HTMLParser):
    """A page's write controls: ("link", href, ""), ("post", action, to_status) and, for a named
    button inside a form, ("button", action, name)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str, str]] = set()
        self._form: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.found.add(("link", a["href"] or "", ""))
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = [a.get("action") or "", ""]
        elif tag == "input" and self._form is not None and a.get("name") == "to_status":
            self._form[1] = a.get("value") or ""
        elif tag == "button" and self._form is not None and a.get("name"):
            self.found.add(("button", self._form[0], a.get("name") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.found.add(("post", self._form[0], self._form[1]))
            self._form = None


def offered(client: Client, url: str) -> set[tuple[str, str, str]]:
    res = client.get(url)
    assert res.status_code in (200, 404), (url, res.status_code)
    if res.status_code == 404:
        return set()
    parser = _Controls()
    parser.feed(res.content.decode())
    return parser.found


class _Undo(Exception):
    """Rolls a probe back: every role meets the same records."""


def service_answer(write: Callable[[], Any]) -> int:
    """200 when the service accepts the write (then undone), 403 or 404 when it refuses. Any other
    error means the test's data is wrong for this write, and fails the test."""
    try:
        with transaction.atomic():
            write()
            raise _Undo
    except _Undo:
        return 200
    except PermissionDenied:
        return 403
    except NotFound:
        return 404


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        PublicService.objects.count(),
        list(ServiceVersion.objects.order_by("pk").values_list("pk", "version", "status")),
        list(FamilyMember.objects.order_by("pk").values_list("pk", "version")),
        list(Referral.objects.order_by("pk").values_list("pk", "version", "status")),
        list(Activity.objects.order_by("pk").values_list("pk", "version", "status")),
        list(
            ActivityRegistration.objects.order_by("pk").values_list(
                "pk", "version", "status", "rating"
            )
        ),
    )


def post_outcome(
    client: Client, url: str, data: dict[str, Any], *, follow: bool = False
) -> tuple[bool, int, str]:
    """Post the control's form through the page (then undo it): whether it changed anything, the
    status of the answer, and the page the user ends on (a redirect followed if `follow`)."""
    before = _state()
    after = before
    res: Any = None
    try:
        with transaction.atomic():
            res = client.post(url, data, follow=follow)
            after = _state()
            raise _Undo
    except _Undo:
        pass
    chain = getattr(res, "redirect_chain", [])
    status = chain[0][1] if chain else res.status_code
    return after != before, status, res.content.decode()


def post_changes(client: Client, url: str, data: dict[str, Any]) -> bool:
    """Whether posting the control's form through the page changed anything (then undone)."""
    return post_outcome(client, url, data)[0]


@dataclass
class Control:
    name: str
    page: str  # the page that offers it
    control: tuple[str, str, str]  # as _Controls reads it
    write: Callable[[Actor], Any]  # the service call, through the selectors like the API
    post: tuple[str, dict[str, Any]]  # the form the control posts (to a form page for links)
    form_page: str | None = None  # a page whose only purpose is this write
    # check_states: how the page answers a POST the service refuses because of the record's
    # state (302: the reason as a message on the record's page; 409; 422: the form again).
    refused: int = 302


def check(user: Any, controls: list[Control]) -> set[str]:
    """Assert page and service agree on every control; the names of those the user has."""
    client = Client()
    client.force_login(user)
    actor = actor_for(user)
    pages: dict[str, set[tuple[str, str, str]]] = {}
    allowed = set()
    for c in controls:
        if c.page not in pages:
            pages[c.page] = offered(client, c.page)
        answer = service_answer(lambda c=c: c.write(actor))
        shown = c.control in pages[c.page]
        assert shown == (answer == 200), f"{c.name}: shown={shown}, service says {answer}"
        if c.form_page:
            status = client.get(c.form_page).status_code
            assert status == answer, f"{c.name}: GET {c.form_page} is {status}, not {answer}"
        changed = post_changes(client, *c.post)
        assert changed == (answer == 200), f"{c.name}: the page's POST changed={changed}"
        if answer == 200:
            allowed.add(c.name)
    return allowed


def url(name: str, *args: Any) -> str:
    return reverse(f"publicservices:{name}", args=args)


def status_button(
    name: str,
    page: str,
    target: str,
    to: str,
    record: Any,
    fetch: Callable[[Actor], Any],
    change: Callable[..., Any],
    key: str,
) -> Control:
    """A button posting `to` to `target`; the service call fetches the record through its
    selector (`fetch`) and passes it to the transition service `change` as `key`."""

    def write(actor: Actor) -> Any:
        current = fetch(actor)
        return change(
            actor=actor,
            to_status=to,
            reason="测试",
            expected_version=current.version,
            **{key: current},
        )

    data = {"to_status": to, "version": record.version, "reason": "测试"}
    return Control(name, page, ("post", target, to), write, (target, data))


# -- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_controls(role: str, users: dict[str, Any], published: Any, admin_actor: Any):
    live = published(city="440300", kind="legal_aid", name="法律援助（测试）")
    service = live.service
    draft = services.service_version_create(
        actor=admin_actor, service=service, data={"effective_from": "2025-06-01"}
    )
    city = HOME[role][0]
    page = url("service", service.pk)

    def transition(version: Any, to: str, name: str) -> Control:
        return status_button(
            name,
            page,
            url("version_transition", version.pk),
            to,
            version,
            lambda actor: selectors.version_get(actor=actor, version_id=version.pk),
            services.service_version_transition,
            "version",
        )

    controls = [
        Control(
            "add_service",
            url("catalogue"),
            ("link", url("service_new"), ""),
            lambda actor: services.service_create(
                actor=actor, city=city, kind="other", name="探针服务"
            ),
            (url("service_new"), {"city": city, "kind": "other", "name": "探针服务"}),
            form_page=url("service_new"),
        ),
        Control(
            "draft_version",
            page,
            ("link", url("version_new", service.pk), ""),
            lambda actor: services.service_version_create(
                actor=actor, service=selectors.service_get(actor=actor, service_id=service.pk)
            ),
            (
                url("version_new", service.pk),
                {"effective_from": "2026-01-01", "source": "测试来源", "trust": "V"},
            ),
            form_page=url("version_new", service.pk),
        ),
        Control(
            "edit_draft",
            page,
            ("link", url("version_edit", draft.pk), ""),
            lambda actor: services.service_version_update(
                actor=actor,
                version=selectors.version_get(actor=actor, version_id=draft.pk),
                data={"summary": "改"},
                expected_version=draft.version,
            ),
            (
                url("version_edit", draft.pk),
                {
                    "effective_from": "2025-07-01",
                    "source": "测试来源",
                    "trust": "S",
                    "version": draft.version,
                },
            ),
            form_page=url("version_edit", draft.pk),
        ),
        transition(draft, "published", "publish_draft"),
        transition(draft, "withdrawn", "withdraw_draft"),
        transition(live, "withdrawn", "withdraw_published"),
    ]
    assert check(users[role], controls) == ALLOWED[role] & CATALOGUE


# -- a worker's family and referrals ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_worker_and_referral_controls(
    role: str,
    users: dict[str, Any],
    worker_factory: Any,
    child: Any,
    published: Any,
    department: Any,
):
    worker = worker_factory()
    kid = child(worker)
    to_refer = published(
        city="440300", kind="legal_aid", name="法律援助（测试）", open_to_all=True
    ).service_id
    referred = published(
        city="440300",
        kind="other",
        name="职业介绍（测试）",
        open_to_all=True,
        department=department.pk,
    ).service_id
    # Referred by the station's staff (of the Shenzhen federation) to the department.
    referral = services.referral_create(
        actor=actor_for(users["station_staff"]), worker=worker, service_id=referred
    )
    worker_page = url("worker", worker.pk)

    def seen(actor: Actor) -> Any:
        return selectors.worker_for_services(actor=actor, worker_id=worker.pk)

    def outcome(to: str) -> Control:
        return status_button(
            f"referral_{to}",
            url("referral", referral.pk),
            url("referral_transition", referral.pk),
            to,
            referral,
            lambda actor: selectors.referral_get(actor=actor, referral_id=referral.pk),
            services.referral_transition,
            "referral",
        )

    child_form = {
        "relation": "child",
        "name": "张小明",
        "birth_date": "2018-03-01",
        "school_stage": "kindergarten",
        "lives_with_worker": "on",
        "version": kid.version,
    }
    controls = [
        Control(
            "add_family_member",
            worker_page,
            ("post", url("family_add", worker.pk), ""),
            lambda actor: services.family_member_add(
                actor=actor, worker=seen(actor), data={"relation": "parent", "name": "张父"}
            ),
            (url("family_add", worker.pk), {"relation": "parent", "name": "张父"}),
        ),
        Control(
            "edit_family_member",
            worker_page,
            ("link", url("family_edit", worker.pk, kid.pk), ""),
            lambda actor: services.family_member_update(
                actor=actor,
                worker=seen(actor),
                member_id=kid.pk,
                data={"school_stage": "kindergarten"},
                expected_version=kid.version,
            ),
            (url("family_edit", worker.pk, kid.pk), child_form),
            form_page=url("family_edit", worker.pk, kid.pk),
        ),
        Control(
            "refer",
            worker_page,
            ("post", url("refer", worker.pk), ""),
            lambda actor: services.referral_create(
                actor=actor, worker=seen(actor), service_id=to_refer
            ),
            (url("refer", worker.pk), {"service_id": to_refer}),
        ),
        *(outcome(to) for to in ("pending", "granted", "refused", "withdrawn")),
    ]
    assert check(users[role], controls) == ALLOWED[role] & (
        FAMILY_AND_REFERRAL | OUTCOMES | WITHDRAW
    )


# -- integration activities ------------------------------------------------------------------


def _activity_form(activity: Any | None, region: str) -> dict[str, Any]:
    """What the activity form posts: the activity's values, or a new activity in `region`."""
    local, today = timezone.localtime, timezone.localdate()
    if activity is None:
        start = local() + dt.timedelta(days=5)
        return {
            "kind": "cultural_event",
            "title": "探针活动",
            "region": region,
            "venue": "工人文化宫",
            "starts_at": start.strftime("%Y-%m-%dT10:00"),
            "ends_at": start.strftime("%Y-%m-%dT12:00"),
            "places": "10",
            "waiting_list": "on",
            "registration_opens_on": today.isoformat(),
            "registration_closes_on": (today + dt.timedelta(days=2)).isoformat(),
            "audience": "workers",
        }
    return {
        "kind": activity.kind,
        "title": activity.title + "（改）",
        "station": activity.station_id or "",
        "region": activity.region_id,
        "venue": activity.venue,
        "starts_at": local(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "places": activity.places,
        "waiting_list": "on",
        "registration_opens_on": activity.registration_opens_on.isoformat(),
        "registration_closes_on": activity.registration_closes_on.isoformat(),
        "audience": activity.audience,
        "version": activity.version,
    }


@pytest.mark.parametrize("role", ROLES)
def test_activity_controls(
    role: str,
    users: dict[str, Any],
    station: Any,
    worker_factory: Any,
    open_activity: Any,
    admin_actor: Any,
):
    first, second = worker_factory(), worker_factory(name="李娜")
    upcoming = open_activity(station=station.pk, title="中秋文艺晚会")
    booked = services.registration_create(actor=admin_actor, activity=upcoming, worker_id=first.pk)
    # An activity that started an hour ago with registration closed: attendance and feedback.
    started = open_activity(station=station.pk, title="城市融入讲座", places=5)
    expected = services.registration_create(actor=admin_actor, activity=started, worker_id=first.pk)
    came = services.registration_create(actor=admin_actor, activity=started, worker_id=second.pk)
    Activity.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), status="closed"
    )
    came = services.registration_transition(
        actor=admin_actor, registration=came, to_status="attended", expected_version=came.version
    )
    started.refresh_from_db()
    region = HOME[role][1]

    def activity_transition(activity: Any, to: str, name: str) -> Control:
        return status_button(
            name,
            url("activity", activity.pk),
            url("activity_transition", activity.pk),
            to,
            activity,
            lambda actor: selectors.activity_get(actor=actor, activity_id=activity.pk),
            services.activity_transition,
            "activity",
        )

    def registration_transition(reg: Any, to: str, name: str) -> Control:
        return status_button(
            name,
            url("activity", reg.activity_id),
            url("registration_transition", reg.pk),
            to,
            reg,
            lambda actor: selectors.registration_get(actor=actor, registration_id=reg.pk),
            services.registration_transition,
            "registration",
        )

    def feedback(actor: Actor) -> Any:
        r = selectors.registration_get(actor=actor, registration_id=came.pk)
        return services.registration_feedback(actor=actor, registration=r, rating=5)

    controls = [
        Control(
            "new_activity",
            url("activities"),
            ("link", url("activity_new"), ""),
            lambda actor: services.activity_create(actor=actor, data=activity_data(region=region)),
            (url("activity_new"), _activity_form(None, region)),
            form_page=url("activity_new"),
        ),
        Control(
            "edit_activity",
            url("activity", upcoming.pk),
            ("link", url("activity_edit", upcoming.pk), ""),
            lambda actor: services.activity_update(
                actor=actor,
                activity=selectors.activity_get(actor=actor, activity_id=upcoming.pk),
                data={"title": "中秋文艺晚会（改）"},
                expected_version=upcoming.version,
            ),
            (url("activity_edit", upcoming.pk), _activity_form(upcoming, region)),
            form_page=url("activity_edit", upcoming.pk),
        ),
        activity_transition(upcoming, "closed", "close_registration"),
        activity_transition(upcoming, "cancelled", "cancel_activity"),
        Control(
            "register",
            url("activity", upcoming.pk),
            ("post", url("activity_register", upcoming.pk), ""),
            lambda actor: services.registration_create(
                actor=actor,
                activity=selectors.activity_get(actor=actor, activity_id=upcoming.pk),
                worker_id=second.pk,
            ),
            (url("activity_register", upcoming.pk), {"worker_id": second.pk}),
        ),
        registration_transition(booked, "cancelled", "cancel_registration"),
        activity_transition(started, "held", "record_held"),
        activity_transition(started, "cancelled", "cancel_closed_activity"),
        registration_transition(expected, "cancelled", "cancel_registration_closed"),
        registration_transition(expected, "attended", "mark_attended"),
        registration_transition(expected, "absent", "mark_absent"),
        registration_transition(came, "absent", "correct_to_absent"),
        Control(
            "feedback",
            url("activity", started.pk),
            ("post", url("registration_feedback", came.pk), ""),
            feedback,
            (url("registration_feedback", came.pk), {"rating": "5", "comment": "很好"}),
        ),
    ]
    assert check(users[role], controls) == ALLOWED[role] & ACTIVITIES


# -- what the record's state allows ----------------------------------------------------------

STATE_ALLOWED = {
    "open_draft_in_window",
    "reopen_in_window",
    "record_held_started",
    "register_in_window",
    "remove_member_without_referrals",
    "edit_draft_version",
    "edit_draft_activity",
    "edit_closed_activity",
}


def state_answer(write: Callable[[], Any]) -> tuple[int, list[str]]:
    """200 when the service accepts the write (then undone); else the status of its refusal
    (409 Conflict, 422 ValidationFailed) and the messages it gives."""
    try:
        with transaction.atomic():
            write()
            raise _Undo
    except _Undo:
        return 200, []
    except (Conflict, ValidationFailed) as exc:
        return exc.status, [exc.message, *(f["message"] for f in exc.fields.values())]


def check_states(user: Any, controls: list[Control]) -> set[str]:
    """Assert page and service agree on every control of a record in a given state; the names of
    those the service accepts. A refusal is explained: a form page redirects to the record's page
    (`control.page`) with the service's reason, and a forced POST answers `control.refused` with
    the reason."""
    client = Client()
    client.force_login(user)
    actor = actor_for(user)
    accepted = set()
    for c in controls:
        answer, reasons = state_answer(lambda c=c: c.write(actor))
        shown = c.control in offered(client, c.page)
        assert shown == (answer == 200), f"{c.name}: shown={shown}, service says {answer}"
        if c.form_page:
            res = client.get(c.form_page, follow=True)
            if answer == 200:
                assert (res.status_code, res.redirect_chain) == (200, []), c.name
            else:
                assert res.redirect_chain == [(c.page, 302)], f"{c.name}: GET {c.form_page}"
                assert escape(reasons[0]) in res.content.decode(), f"{c.name}: no reason shown"
        changed, status, body = post_outcome(client, *c.post, follow=True)
        assert changed == (answer == 200), f"{c.name}: the page's POST changed={changed}"
        if answer == 200:
            accepted.add(c.name)
            continue
        assert status == c.refused, f"{c.name}: a refused POST answered {status}, not {c.refused}"
        for reason in reasons:
            assert escape(reason) in body, f"{c.name}: the page does not say {reason!r}"
    return accepted


def _moved(activity: Any, **values: Any) -> Any:
    """The activity with its dates (or status) moved, as time passing would."""
    Activity.objects.filter(pk=activity.pk).update(**values)
    activity.refresh_from_db()
    return activity


def test_activity_controls_follow_the_dates(
    admin: Any, admin_actor: Any, open_activity: Any, worker_factory: Any
):
    """Opening registration (draft → open, closed → open), recording the activity as held and
    registering a worker: offered exactly while the activity's dates allow them."""
    today, now = timezone.localdate(), timezone.now()
    day = dt.timedelta(days=1)
    worker = worker_factory()

    def closed(**overrides: Any) -> Any:
        a = open_activity(**overrides)
        return services.activity_transition(
            actor=admin_actor, activity=a, to_status="closed", expected_version=a.version
        )

    draft_now = services.activity_create(actor=admin_actor, data=activity_data(title="草稿"))
    draft_late = services.activity_create(
        actor=admin_actor,
        data=activity_data(
            title="报名已截止的草稿",
            registration_opens_on=today - 5 * day,
            registration_closes_on=today - day,
        ),
    )
    closed_now = closed(title="暂停报名")
    closed_late = _moved(
        closed(title="报名期已过"),
        registration_opens_on=today - 5 * day,
        registration_closes_on=today - day,
    )
    started = _moved(closed(title="已开始"), starts_at=now - dt.timedelta(hours=1))
    open_now = open_activity(title="报名中")
    open_late = _moved(
        open_activity(title="忘了关闭报名"),
        registration_opens_on=today - 5 * day,
        registration_closes_on=today - day,
    )

    def transition(activity: Any, to: str, name: str) -> Control:
        return status_button(
            name,
            url("activity", activity.pk),
            url("activity_transition", activity.pk),
            to,
            activity,
            lambda actor: selectors.activity_get(actor=actor, activity_id=activity.pk),
            services.activity_transition,
            "activity",
        )

    def register(activity: Any, name: str) -> Control:
        return Control(
            name,
            url("activity", activity.pk),
            ("post", url("activity_register", activity.pk), ""),
            lambda actor: services.registration_create(
                actor=actor,
                activity=selectors.activity_get(actor=actor, activity_id=activity.pk),
                worker_id=worker.pk,
            ),
            (url("activity_register", activity.pk), {"worker_id": worker.pk}),
            refused=422,  # the service's answer is a validation error: the form again
        )

    controls = [
        transition(draft_now, "open", "open_draft_in_window"),
        transition(draft_late, "open", "open_draft_window_over"),
        transition(closed_now, "open", "reopen_in_window"),
        transition(closed_late, "open", "reopen_window_over"),
        transition(started, "open", "reopen_started"),
        transition(closed_now, "held", "record_held_before_start"),
        transition(started, "held", "record_held_started"),
        register(open_now, "register_in_window"),
        register(open_late, "register_window_over"),
    ]
    assert check_states(admin, controls) == STATE_ALLOWED & {c.name for c in controls}


def test_remove_family_member_only_without_referrals(
    admin: Any, admin_actor: Any, worker_factory: Any, child: Any, published: Any
):
    """A family member with referrals on record stays: no "Remove" button, and a forced remove
    is refused with the reason (409)."""
    worker = worker_factory()
    referred, other = child(worker), child(worker, birth="2020-06-01", name="张小红")
    service = published(city="440300", kind="legal_aid", name="法律援助（测试）", open_to_all=True)
    services.referral_create(
        actor=admin_actor,
        worker=worker,
        service_id=service.service_id,
        family_member_id=referred.pk,
    )

    def remove(member: Any, name: str) -> Control:
        page = url("family_edit", worker.pk, member.pk)
        return Control(
            name,
            page,
            ("button", "", "remove"),
            lambda actor: services.family_member_remove(
                actor=actor,
                worker=selectors.worker_for_services(actor=actor, worker_id=worker.pk),
                member_id=member.pk,
            ),
            (page, {"remove": "1"}),
            refused=409,
        )

    controls = [
        remove(other, "remove_member_without_referrals"),
        remove(referred, "remove_member_with_referrals"),
    ]
    assert check_states(admin, controls) == STATE_ALLOWED & {c.name for c in controls}


def test_edit_pages_of_records_that_can_no_longer_change(
    admin: Any, admin_actor: Any, published: Any, open_activity: Any
):
    """A published or withdrawn version is frozen, a held or cancelled activity is a record: no
    "Edit" link, and the edit page sends the user back to the record with the reason."""
    live = published(city="440300", kind="legal_aid", name="法律援助（测试）")
    service = live.service
    withdrawn = services.service_version_create(
        actor=admin_actor, service=service, data={"effective_from": "2025-03-01"}
    )
    withdrawn = services.service_version_transition(
        actor=admin_actor,
        version=withdrawn,
        to_status="withdrawn",
        reason="测试",
        expected_version=withdrawn.version,
    )
    draft = services.service_version_create(
        actor=admin_actor, service=service, data={"effective_from": "2025-06-01"}
    )

    draft_activity = services.activity_create(actor=admin_actor, data=activity_data(title="草稿"))
    closed = open_activity(title="暂停报名")
    closed = services.activity_transition(
        actor=admin_actor, activity=closed, to_status="closed", expected_version=closed.version
    )
    held = _moved(
        open_activity(title="已举办"),
        status="closed",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    held = services.activity_transition(
        actor=admin_actor, activity=held, to_status="held", expected_version=held.version
    )
    cancelled = open_activity(title="已取消")
    cancelled = services.activity_transition(
        actor=admin_actor,
        activity=cancelled,
        to_status="cancelled",
        reason="场地不可用",
        expected_version=cancelled.version,
    )

    def edit_version(version: Any, name: str) -> Control:
        return Control(
            name,
            url("service", service.pk),
            ("link", url("version_edit", version.pk), ""),
            lambda actor: services.service_version_update(
                actor=actor,
                version=selectors.version_get(actor=actor, version_id=version.pk),
                data={"summary": "改"},
                expected_version=version.version,
            ),
            (
                url("version_edit", version.pk),
                {
                    "effective_from": version.effective_from.isoformat(),
                    "source": "测试来源",
                    "trust": "S",
                    "summary": "改",
                    "version": version.version,
                },
            ),
            form_page=url("version_edit", version.pk),
        )

    def edit_activity(activity: Any, name: str) -> Control:
        return Control(
            name,
            url("activity", activity.pk),
            ("link", url("activity_edit", activity.pk), ""),
            lambda actor: services.activity_update(
                actor=actor,
                activity=selectors.activity_get(actor=actor, activity_id=activity.pk),
                data={"title": activity.title + "（改）"},
                expected_version=activity.version,
            ),
            (url("activity_edit", activity.pk), _activity_form(activity, activity.region_id)),
            form_page=url("activity_edit", activity.pk),
        )

    controls = [
        edit_version(draft, "edit_draft_version"),
        edit_version(live, "edit_published_version"),
        edit_version(withdrawn, "edit_withdrawn_version"),
        edit_activity(draft_activity, "edit_draft_activity"),
        edit_activity(closed, "edit_closed_activity"),
        edit_activity(held, "edit_held_activity"),
        edit_activity(cancelled, "edit_cancelled_activity"),
    ]
    assert check_states(admin, controls) == STATE_ALLOWED & {c.name for c in controls}


# -- how a refused POST is answered ----------------------------------------------------------


def test_refused_posts_answer_403_or_409_and_invalid_input_422(
    admin: Any,
    sz_admin: Any,
    make_user: Callable[..., Any],
    worker_factory: Any,
    published: Any,
    department: Any,
    admin_actor: Any,
):
    """Catalogue, family and referral pages: a write the role may not make is 403 (not a form
    error or a message), one the data's state refuses is 409 with the reason, bad input 422."""
    worker = worker_factory()
    live = published(city="440300", kind="legal_aid", name="法律援助（测试）", open_to_all=True)
    draft = services.service_version_create(
        actor=admin_actor, service=live.service, data={"effective_from": "2025-06-01"}
    )
    # Referred by the national federation, so a Shenzhen officer may neither record its outcome
    # nor edit the catalogue.
    referral = services.referral_create(
        actor=admin_actor, worker=worker, service_id=live.service_id
    )
    officer = make_user("programme_officer", org="sz")
    services.family_member_add(
        actor=admin_actor, worker=worker, data={"relation": "spouse", "name": "李梅"}
    )

    def answer(user: Any, name: str, args: tuple[Any, ...], data: dict[str, Any]) -> int:
        client = Client()
        client.force_login(user)
        before = _state()
        status = client.post(url(name, *args), data).status_code
        assert status == 302 or _state() == before, f"{name}: refused, yet data changed"
        return status

    publish = {"to_status": "published", "version": draft.version}
    granted = {"to_status": "granted", "version": referral.version}
    other_city = {"city": "440100", "kind": "other", "name": "广州的服务"}
    spouse = {"relation": "spouse", "name": "王芳"}
    duplicate = {"city": "440300", "kind": "legal_aid", "name": "法律援助（测试）"}
    assert answer(officer, "version_transition", (draft.pk,), publish) == 403
    assert answer(officer, "referral_transition", (referral.pk,), granted) == 403
    assert answer(make_user("analyst", org="sz"), "refer", (worker.pk,), {"service_id": 1}) == 403
    assert answer(sz_admin, "service_new", (), other_city) == 403
    assert answer(admin, "service_new", (), duplicate) == 409
    assert answer(admin, "family_add", (worker.pk,), spouse) == 409
    assert answer(admin, "family_add", (worker.pk,), {"relation": "child", "name": "小明"}) == 422
