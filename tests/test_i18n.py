"""The UI is Chinese by default and English on request; API messages follow the same language."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def compiled_catalogue():
    call_command("compile_translations", verbosity=0)


@override_settings(LANGUAGE_CODE="zh-hans")
def test_chinese_is_the_default(make_user):
    c = Client()
    assert "登录" in c.get("/accounts/login/").content.decode()
    c.force_login(make_user("case_handler"))
    html = c.get("/workers/").content.decode()
    assert 'lang="zh-hans"' in html and "身份证号" in html


@override_settings(LANGUAGE_CODE="zh-hans")
def test_english_on_request():
    html = Client(headers={"Accept-Language": "en"}).get("/accounts/login/").content.decode()
    assert "Sign in" in html


@override_settings(LANGUAGE_CODE="zh-hans")
def test_api_errors_in_chinese_with_stable_codes(api):
    res = api.post(
        "/api/v1/workers", {"national_id": "110105194912310021"}, content_type="application/json"
    )
    body = res.json()
    assert body["fields"]["national_id"]["code"] == "invalid_check_digit"
    assert "校验" in body["fields"]["national_id"]["message"]
