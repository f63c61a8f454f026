"""A worker's own application (the worker portal): vacancies_for_worker and
referral_apply_by_worker."""

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import NotFound
from gongyou.core.models import AuditEvent
from gongyou.employers.services import employer_set_arrears_flag
from gongyou.jobs import services
from gongyou.jobs.enums import ReferralSource, ReferralStatus
from gongyou.jobs.selectors import referral_list, vacancies_for_worker
from gongyou.jobs.tests.factories import make_vacancy

pytestmark = pytest.mark.django_db


def test_vacancies_for_worker_ranked_open_only(admin_actor, employer, worker, worker_factory):
    exact = make_vacancy(actor=admin_actor, employer=employer, title="钢筋工A")
    related = make_vacancy(
        actor=admin_actor, employer=employer, title="砌筑工B", occupation="6-29-01-01"
    )
    make_vacancy(actor=admin_actor, employer=employer, title="焊工C", occupation="6-18-02-04")
    make_vacancy(actor=admin_actor, employer=employer, title="草稿", publish=False)
    matches = vacancies_for_worker(worker=worker)
    assert [m.vacancy for m in matches] == [exact, related]
    assert matches[0].score > matches[1].score
    assert any(c["text"] for c in matches[0].components)  # the explanation words
    # Another worker's application does not show as mine.
    other = worker_factory(current_region="440305", occupation="6-29-01-04")
    services.referral_apply_by_worker(worker=other, vacancy=exact)
    assert vacancies_for_worker(worker=worker)[0].open_referral is None
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=True, reason="欠薪")
    assert vacancies_for_worker(worker=worker) == []


def test_apply_creates_an_application_in_the_officers_queue(
    admin_actor, vacancy, worker, make_user
):
    referral = services.referral_apply_by_worker(worker=worker, vacancy=vacancy)
    assert referral.source == ReferralSource.APPLICATION
    assert referral.status == ReferralStatus.REFERRED
    assert referral.referred_by is None and referral.organisation_id == vacancy.organisation_id
    assert referral.score is not None and referral.explanation
    officer = actor_for(make_user("employment_officer", org="sz"))
    assert list(referral_list(actor=officer)) == [referral]
    event = AuditEvent.objects.get(action="referral.create", entity_id=str(referral.pk))
    assert event.actor is None and event.worker_id == worker.pk
    assert event.actor_label == f"portal: worker {worker.pk}"
    assert event.after["channel"] == "portal"
    assert vacancies_for_worker(worker=worker)[0].open_referral == referral


def test_apply_refusals(admin_actor, employer, vacancy, worker):
    services.referral_apply_by_worker(worker=worker, vacancy=vacancy)
    with pytest.raises(services.ReferralExists) as exc:
        services.referral_apply_by_worker(worker=worker, vacancy=vacancy)
    assert "already applied" in exc.value.message
    draft = make_vacancy(actor=admin_actor, employer=employer, publish=False)
    with pytest.raises(NotFound):
        services.referral_apply_by_worker(worker=worker, vacancy=draft)
    other = make_vacancy(actor=admin_actor, employer=employer, title="钢筋工二")
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=True, reason="欠薪")
    with pytest.raises(services.EmployerFlagged):
        services.referral_apply_by_worker(worker=worker, vacancy=other)
    assert not other.referrals.exists()
