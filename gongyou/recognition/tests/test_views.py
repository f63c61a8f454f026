"""The recognition pages render for the right people and post through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongyou.accounts.policies import actor_for
from gongyou.recognition.models import AwardRound, Nomination
from gongyou.recognition.tests.factories import force_status, make_nomination

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_round_pages(organiser, nominator, award_round, worker):
    make_nomination(actor=actor_for(nominator), award_round=award_round, worker=worker)
    client = _client(nominator)
    html = client.get(reverse("recognition:rounds")).content.decode()
    assert award_round.title in html
    html = client.get(reverse("recognition:round", args=[award_round.pk])).content.decode()
    assert "王强" in html and reverse("recognition:nominate", args=[award_round.pk]) in html
    partial = client.get(
        reverse("recognition:round", args=[award_round.pk]),
        {"migrant": "no"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "王强" not in partial and "<html" not in partial
    html = (
        _client(organiser).get(reverse("recognition:round", args=[award_round.pk])).content.decode()
    )
    assert reverse("recognition:round_quota", args=[award_round.pk]) in html


def test_open_a_round_and_set_a_quota(organiser, orgs):
    client = _client(organiser)
    res = client.post(
        reverse("recognition:round_new"),
        {
            "award_type": "provincial_model_worker",
            "year": "2026",
            "title": "",
            "nominations_close_on": "",
        },
    )
    assert res.status_code == 200 and "This field is required." in res.content.decode()
    res = client.post(
        reverse("recognition:round_new"),
        {
            "award_type": "provincial_model_worker",
            "year": "2026",
            "title": "广东省劳模",
            "nominations_close_on": "2099-01-31",
        },
    )
    award_round = AwardRound.objects.get(title="广东省劳模")
    assert res.status_code == 302
    res = client.post(
        reverse("recognition:round_quota", args=[award_round.pk]),
        {"organisation_id": orgs["sz"].pk, "quota": "4"},
    )
    assert res.status_code == 302 and award_round.quotas.get().quota == 4


def test_nominate_page_and_worker_search(nominator, award_round, worker):
    client = _client(nominator)
    assert client.get(reverse("recognition:nominate", args=[award_round.pk])).status_code == 200
    html = client.get(reverse("recognition:worker_search"), {"worker_q": "王强"}).content.decode()
    assert f'value="{worker.pk}"' in html and worker.national_id_masked in html
    # The round closes on 2026-03-31, so nominating through the page today is refused clearly.
    res = client.post(
        reverse("recognition:nominate", args=[award_round.pk]),
        {"worker_id": worker.pk, "nominee_unit": "比亚迪", "justification": "事迹"},
    )
    assert res.status_code == 200 and "Nominations closed on" in res.content.decode()


def test_nomination_page_decisions_evidence_and_notice(organiser, nominator, award_round, worker):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round, worker=worker)
    nom = _client(nominator)
    html = nom.get(reverse("recognition:nomination", args=[nomination.pk])).content.decode()
    assert "Yes — in the registry" in html and worker.national_id_masked in html
    res = nom.post(
        reverse("recognition:evidence_add", args=[nomination.pk]),
        {"ev-kind": "achievement", "ev-file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
    )
    assert res.status_code == 302
    evidence = nomination.evidence.get()
    res = nom.get(reverse("recognition:evidence_download", args=[nomination.pk, evidence.pk]))
    assert res.status_code == 200
    org = _client(organiser)
    res = org.post(
        reverse("recognition:nomination_transition", args=[nomination.pk]),
        {"tr-to_status": "under_review", "tr-reason": "", "tr-version": "1"},
    )
    assert "This field is required." in res.content.decode()
    res = org.post(
        reverse("recognition:nomination_transition", args=[nomination.pk]),
        {"tr-to_status": "under_review", "tr-reason": "初审通过", "tr-version": "1"},
    )
    assert res.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).status == "under_review"
    force_status(nomination, "in_notice")
    html = org.get(reverse("recognition:round_notice", args=[award_round.pk])).content.decode()
    assert "王强" in html and "js-print" in html


def test_other_areas_get_404(make_user, award_round, nominator):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    bj = _client(make_user("org_admin", org="bj"))
    assert bj.get(reverse("recognition:round", args=[award_round.pk])).status_code == 404
    assert bj.get(reverse("recognition:nomination", args=[nomination.pk])).status_code == 404
