"""Skill-level application eligibility: the seeded template of domain facts §2.1, rules per
occupational standard, validation of rules, and the worded answer for each missing condition."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, PermissionDenied, ValidationFailed
from gongyou.training.eligibility import conditions_problems
from gongyou.training.models import EligibilityRule
from gongyou.training.selectors import eligibility_check, rules_for
from gongyou.training.services import rule_create, rule_update
from gongyou.training.tests.factories import WELDER
from gongyou.workers.services import certificate_add

pytestmark = pytest.mark.django_db
ELECTRICIAN = "6-31-01-03"


def check(actor, worker, level, **inputs):
    return eligibility_check(
        actor=actor, worker_id=worker.pk, occupation=WELDER, level=level, **inputs
    )


def test_the_template_is_seeded_with_trust_tags(rules):
    assert EligibilityRule.objects.filter(occupation__isnull=True).count() == 12
    trust = dict(EligibilityRule.objects.values_list("level", "trust").distinct())
    assert trust[5] == trust[4] == trust[3] == "S" and trust[2] == trust[1] == "U"


def test_level_5_by_years_or_apprenticeship(rules, admin_actor, worker):
    answer = check(admin_actor, worker, 5)
    assert not answer.eligible
    assert answer.missing == [
        "1 year in the occupation: Needs 1 years of work in the occupation; enter the years worked.",
        "Completed apprenticeship: Needs a completed apprenticeship; none declared.",
    ]
    assert check(admin_actor, worker, 5, years_in_occupation=1).eligible
    assert check(admin_actor, worker, 5, apprenticeship=True).eligible


def test_level_4_routes(rules, admin_actor, worker):
    answer = check(admin_actor, worker, 4, years_in_occupation=3)
    assert not answer.eligible
    texts = " ".join(answer.missing)
    assert "Needs a Level 5" in texts and "3 more needed" in texts and "none declared" in texts
    assert check(admin_actor, worker, 4, years_in_occupation=6).eligible
    assert check(admin_actor, worker, 4, diplomas=["technical_school"]).eligible
    today = timezone.localdate()
    certificate_add(
        actor=admin_actor,
        worker=worker,
        occupation=WELDER,
        level=5,
        certificate_no="L5-1",
        issuing_organisation="某评价机构",
        issued_on=today.replace(year=today.year - 3),
    )
    # 5 years in the occupation but the certificate is only 3 years old: 3 counted after it.
    answer = check(admin_actor, worker, 4, years_in_occupation=5)
    [route] = [r for r in answer.routes if r.route == "Level 5 plus 4 years"]
    assert not route.met and "counted 3" in route.conditions[0].text
    assert answer.best_level == 5 and not answer.already_holds


def test_level_3_with_a_junior_college_diploma(rules, admin_actor, worker):
    certificate_add(
        actor=admin_actor,
        worker=worker,
        occupation=WELDER,
        level=4,
        certificate_no="L4-1",
        issuing_organisation="某评价机构",
        issued_on=dt.date(2018, 1, 1),
    )
    answer = check(admin_actor, worker, 3, years_in_occupation=2, diplomas=["junior_college"])
    assert answer.eligible and answer.standard == "general"
    met = [r.route for r in answer.routes if r.met]
    assert met == ["Junior college diploma, Level 4 plus 2 years"]
    # A certificate in another occupation does not count.
    other = eligibility_check(
        actor=admin_actor,
        worker_id=worker.pk,
        occupation=ELECTRICIAN,
        level=3,
        years_in_occupation=2,
        diplomas=["junior_college"],
    )
    assert not other.eligible


def test_an_occupation_standard_replaces_the_template(rules, make_user, admin_actor, worker):
    editor = actor_for(make_user("programme_officer", org="national"))
    rule = rule_create(
        actor=editor,
        data={
            "occupation": WELDER,
            "level": 5,
            "route": "2 years in welding",
            "conditions": '[{"type": "years_in_occupation", "min": 2}]',
            "trust": "U",
            "source": "test",
        },
    )
    assert rules_for(occupation=WELDER, level=5)[1] == "occupation"
    answer = check(admin_actor, worker, 5, years_in_occupation=1, apprenticeship=True)
    assert not answer.eligible and answer.standard == "occupation"
    rule_update(
        actor=editor,
        rule=rule,
        data={
            **{"occupation": WELDER, "level": 5, "route": rule.route, "trust": "U", "source": "t"},
            "conditions": rule.conditions,
            "active": False,
        },
        version=1,
    )
    assert check(admin_actor, worker, 5, apprenticeship=True).eligible


def test_rules_are_validated_and_guarded(rules, make_user, officer_actor):
    editor = actor_for(make_user("programme_officer", org="national"))
    with pytest.raises(PermissionDenied):  # a city officer cannot change national rules
        rule_create(actor=officer_actor, data={})
    with pytest.raises(ValidationFailed) as exc:
        rule_create(
            actor=editor,
            data={"level": 9, "route": "", "conditions": "[{", "trust": "X", "source": ""},
        )
    assert set(exc.value.fields) == {"level", "route", "conditions", "trust", "source"}
    with pytest.raises(Conflict):
        rule_create(
            actor=editor,
            data={
                "level": 5,
                "route": "Completed apprenticeship",
                "conditions": [{"type": "apprenticeship"}],
                "trust": "S",
                "source": "x",
            },
        )


@pytest.mark.parametrize(
    "conditions",
    [
        [],
        [{"type": "years_in_occupation"}],
        [{"type": "years_in_occupation", "min": 0}],
        [{"type": "holds_level", "level": 6}],
        [{"type": "holds_level", "level": 4, "years_after": -1}],
        [{"type": "diploma", "any_of": ["phd"]}],
        [{"type": "apprenticeship", "months": 3}],
        [{"type": "age"}],
        ["x"],
    ],
)
def test_bad_conditions_are_explained(conditions):
    assert conditions_problems(conditions)


def test_check_inputs_are_validated(rules, admin_actor):
    with pytest.raises(ValidationFailed) as exc:
        eligibility_check(
            actor=admin_actor,
            worker_id=0,
            occupation="1-1",
            level=6,
            years_in_occupation="many",
            diplomas=["phd"],
        )
    assert set(exc.value.fields) == {
        "worker_id",
        "occupation",
        "level",
        "years_in_occupation",
        "diplomas",
    }


def test_the_model_refuses_bad_conditions_too():
    from django.core.exceptions import ValidationError

    rule = EligibilityRule(level=5, route="x", conditions=[{"type": "age"}], trust="U", source="s")
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "conditions" in exc.value.message_dict
