"""Settlement pages: the worker's page (histories, facts, answers), the printable answer, the
policy pages (list, detail, version, draft/edit/publish, impact) and city groups."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongyou.settlement.models import ContributionSpell, PolicyVersion, ResidenceSpell

pytestmark = pytest.mark.django_db


def client_as(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def staff(make_user):
    return make_user("case_handler", org="gd")


def test_worker_page_shows_histories_answers_and_trust(staff, worker_factory, history):
    w = worker_factory(current_region="440106")
    history(
        w,
        contributions=[{"city": "440100", "kind": "pension", "start": "2021-01-01"}],
        residences=[
            {"city": "440100", "start": "2021-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    c = client_as(staff)
    html = c.get(reverse("settlement:worker", args=[w.pk])).content.decode()
    assert "广州市积分制入户" in html and "Secondary source" in html
    assert "needs" in html and "Points" in html
    assert w.national_id_masked in html
    html = c.get(
        reverse("settlement:worker", args=[w.pk]), {"city": "310100", "as_of": "2025-01-15"}
    ).content.decode()
    assert "上海市居转户" in html and "Route 1" in html
    partial = c.get(
        reverse("settlement:worker", args=[w.pk]),
        {"city": "440100"},
        headers={"HX-Request": "true"},
    )
    assert (
        partial.status_code == 200
        and b"<html" not in partial.content
        and b'id="answers"' in partial.content
    )
    bad = c.get(reverse("settlement:worker", args=[w.pk]), {"city": "440000"}).content.decode()
    assert "prefecture-level city" in bad
    printable = c.get(
        reverse("settlement:answer_print", args=[w.pk]), {"city": "440100"}
    ).content.decode()
    assert "Settlement (hukou) eligibility" in printable and "Guangzhou Daily" in printable


def test_worker_page_forms(staff, worker_factory):
    w = worker_factory(current_region="440106")
    c = client_as(staff)
    url = reverse("settlement:contribution_add", args=[w.pk])
    res = c.post(url, {"city": "440106", "kind": "pension", "start": "2020-01-01"})
    assert res.status_code == 422 and "prefecture-level city code (440100)" in res.content.decode()
    res = c.post(url, {"city": "440100", "kind": "pension", "start": "2020-01-01"})
    assert res.status_code == 302
    spell = ContributionSpell.objects.get(worker=w)
    edit = reverse("settlement:contribution_edit", args=[w.pk, spell.pk])
    assert c.get(edit).status_code == 200
    res = c.post(edit, {"city": "440100", "kind": "medical", "start": "2020-01-01", "version": 1})
    assert res.status_code == 302 and ContributionSpell.objects.get().kind == "medical"
    res = c.post(edit, {"city": "440100", "kind": "pension", "start": "2020-01-01", "version": 1})
    assert "Someone else changed" in res.content.decode()
    res = c.post(
        reverse("settlement:residence_add", args=[w.pk]),
        {"city": "440100", "start": "2020-01-01", "tenure": "rented", "permit_held": "on"},
    )
    assert res.status_code == 302 and ResidenceSpell.objects.get().permit_held
    r = ResidenceSpell.objects.get()
    assert c.get(reverse("settlement:residence_edit", args=[w.pk, r.pk])).status_code == 200
    assert c.post(reverse("settlement:residence_delete", args=[w.pk, r.pk])).status_code == 302
    assert (
        c.post(reverse("settlement:contribution_delete", args=[w.pk, spell.pk])).status_code == 302
    )
    res = c.post(reverse("settlement:fact_set", args=[w.pk]), {"key": "honours", "value": "x"})
    assert res.status_code == 422 and "Enter a number" in res.content.decode()
    assert (
        c.post(
            reverse("settlement:fact_set", args=[w.pk]), {"key": "honours", "value": "1"}
        ).status_code
        == 302
    )


def test_analysts_read_but_cannot_edit(make_user, worker_factory):
    w = worker_factory(current_region="440106")
    c = client_as(make_user("analyst", org="gd"))
    html = c.get(reverse("settlement:worker", args=[w.pk])).content.decode()
    assert "Add a contribution spell" not in html
    assert (
        c.post(reverse("settlement:contribution_add", args=[w.pk]), {"city": "440100"}).status_code
        == 403
    )


def test_out_of_scope_worker_is_404(make_user, worker_factory):
    w = worker_factory(current_region="440305", hukou_region="440305")
    c = client_as(make_user("case_handler", org="bj"))
    assert c.get(reverse("settlement:worker", args=[w.pk])).status_code == 404


def test_policy_pages_and_editing(admin, staff):
    c = client_as(staff)
    html = c.get(reverse("settlement:policies")).content.decode()
    assert "北京市积分落户" in html and "Verified" in html
    assert "New policy" not in html
    filtered = c.get(
        reverse("settlement:policies"), {"purpose": "services"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "居住证积分" in filtered and "北京市" not in filtered
    v = PolicyVersion.objects.get(policy__city_id="110100")
    html = c.get(reverse("settlement:version", args=[v.pk])).content.decode()
    assert "Community points calculator" in html and "Draft a new version" not in html
    assert c.get(reverse("settlement:policy", args=[v.policy_id])).status_code == 200
    assert c.get(reverse("settlement:version_edit", args=[v.pk])).status_code == 403
    assert c.get(reverse("settlement:groups")).status_code == 200

    a = client_as(admin)
    res = a.post(reverse("settlement:version_new", args=[v.policy_id]), {"copy_from": v.pk})
    draft = PolicyVersion.objects.get(policy=v.policy, number=2)
    assert res.status_code == 302 and draft.status == "draft"
    edit = reverse("settlement:version_edit", args=[draft.pk])
    assert "stable_employment" in a.get(edit).content.decode()
    form = {
        "route": "points",
        "effective_from": "2026-01-01",
        "source": "北京市人民政府 2026",
        "trust": "V",
        "conditions": "[{",
        "points_items": "[]",
        "version": draft.version,
    }
    res = a.post(edit, form)
    assert "Not valid JSON" in res.content.decode()
    res = a.post(
        edit,
        {
            **form,
            "conditions": '[{"type": "residence_permit"}]',
            "last_cutoff": "100.5",
            "cutoff_year": "2025",
        },
    )
    assert res.status_code == 302
    draft.refresh_from_db()
    assert draft.last_cutoff == 100.5 and draft.points_items == []
    impact = a.get(
        reverse("settlement:version_impact", args=[draft.pk]), headers={"HX-Request": "true"}
    )
    assert impact.status_code == 200 and b'id="impact"' in impact.content
    res = a.post(
        reverse("settlement:version_transition", args=[draft.pk]),
        {"to_status": "published", "version": draft.version},
    )
    assert res.status_code == 302
    v.refresh_from_db()
    assert str(v.effective_to) == "2025-12-31"


def test_policy_create_and_first_version_pages(admin):
    a = client_as(admin)
    assert a.get(reverse("settlement:policy_new")).status_code == 200
    res = a.post(
        reverse("settlement:policy_new"), {"city": "440402", "purpose": "hukou", "name": "珠海"}
    )
    assert "prefecture-level city code (440400)" in res.content.decode()
    res = a.post(
        reverse("settlement:policy_new"), {"city": "440400", "purpose": "hukou", "name": "珠海"}
    )
    assert res.status_code == 302
    pid = int(res["Location"].rstrip("/").split("/")[-1])
    res = a.post(reverse("settlement:version_new", args=[pid]))
    assert res["Location"] == reverse("settlement:version_first", args=[pid])
    res = a.post(
        reverse("settlement:version_first", args=[pid]),
        {"route": "no_restriction", "effective_from": "2024-08-01", "source": "test", "trust": "U"},
    )
    assert res.status_code == 302


def test_group_pages(admin):
    a = client_as(admin)
    res = a.post(
        reverse("settlement:groups"),
        {
            "name": "长株潭",
            "cities": "430100 430200 430300",
            "source": "Yicai 2025-09-16",
            "trust": "S",
        },
    )
    assert res.status_code == 302
    html = a.get(reverse("settlement:groups")).content.decode()
    assert "长株潭" in html and "长沙市" in html
    from gongyou.settlement.models import CityGroup

    g = CityGroup.objects.get()
    assert a.get(reverse("settlement:group_edit", args=[g.pk])).status_code == 200
    res = a.post(
        reverse("settlement:group_edit", args=[g.pk]),
        {"name": "长株潭", "cities": "430100", "source": "x", "trust": "S", "version": 1},
    )
    assert "at least two cities" in res.content.decode()
