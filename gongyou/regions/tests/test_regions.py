import pytest

from gongyou.core.errors import ValidationFailed
from gongyou.regions.enums import CitySizeClass, size_class_for_population
from gongyou.regions.models import Region
from gongyou.regions.selectors import region_label
from gongyou.regions.services import region_reference_load, region_set_city_size

pytestmark = pytest.mark.django_db


def test_every_level_is_loaded_with_parents():
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.filter(level="city").count() == 342
    assert Region.objects.filter(level="county").count() == 2975
    assert Region.objects.get(code="440305").parent_id == "440300"
    assert region_label("440305") == "广东省 深圳市 南山区"


def test_size_classes_are_seeded_with_source_and_trust():
    sh = Region.objects.get(code="310100")
    assert (
        sh.size_class == "super_large"
        and sh.size_year == 2020
        and sh.size_trust == "V"
        and sh.size_source
    )
    assert Region.objects.get(code="330100").population_trust == "U"
    assert Region.objects.get(code="440600").size_class == "very_large"
    assert Region.objects.get(code="445100").size_class == ""  # unknown stays unknown


def test_loader_is_idempotent_and_keeps_edits(admin_actor):
    region_set_city_size(
        actor=admin_actor,
        code="445100",
        urban_core_population=1_200_000,
        size_year=2020,
        size_source="城市建设统计年鉴 2020",
        size_trust="S",
    )
    assert region_reference_load() == {"created": 0, "updated": 0}
    assert Region.objects.get(code="445100").size_class == "large_ii"


def test_city_size_validation(admin_actor):
    with pytest.raises(ValidationFailed) as info:
        region_set_city_size(
            actor=admin_actor, code="440305", size_class="medium", urban_core_population=4_000_000
        )
    assert {"code", "size_class", "size_source", "size_year"} <= set(info.value.fields)


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (199_999, "small_ii"),
        (200_000, "small_i"),
        (3_000_000, "large_i"),
        (9_999_999, "very_large"),
        (10_000_000, "super_large"),
    ],
)
def test_size_class_boundaries_include_the_lower_bound(population, expected):
    assert size_class_for_population(population) == CitySizeClass(expected)


def test_regions_api(api):
    res = api.get("/api/v1/regions", {"parent": "440300"}).json()
    assert res["count"] == Region.objects.filter(parent_id="440300").count() and res["items"][0][
        "code"
    ].startswith("4403")
    assert api.get("/api/v1/regions/440305").json()["full_name"] == "广东省 深圳市 南山区"
    assert api.get("/api/v1/regions/999999").status_code == 404
    assert api.get("/api/v1/regions", {"level": "province"}).json()["count"] == 31


def test_size_class_api_is_for_system_admins(api, make_user):
    from gongyou.testing import api_client_for

    body = {
        "urban_core_population": 3_200_000,
        "size_year": 2020,
        "size_source": "2020年城市建设统计年鉴",
        "size_trust": "S",
    }
    res = api.patch("/api/v1/regions/320500", body, content_type="application/json")
    assert res.status_code == 200 and res.json()["size_class"] == "large_i"
    analyst = api_client_for(make_user("org_admin"))
    assert (
        analyst.patch("/api/v1/regions/320500", body, content_type="application/json").status_code
        == 403
    )
    assert (
        api.patch("/api/v1/regions/999999", body, content_type="application/json").status_code
        == 404
    )
