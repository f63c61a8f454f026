from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Prefecture-level city")
    COUNTY = "county", _("County")


class CitySizeClass(models.TextChoices):
    """2014 State Council standard, by urban-core resident population (城区常住人口)."""

    SMALL_II = "small_ii", _("Type II small city (< 200,000)")
    SMALL_I = "small_i", _("Type I small city (200,000 – 500,000)")
    MEDIUM = "medium", _("Medium-sized city (500,000 – 1 million)")
    LARGE_II = "large_ii", _("Type II large city (1 – 3 million)")
    LARGE_I = "large_i", _("Type I large city (3 – 5 million)")
    VERY_LARGE = "very_large", _("Very large city (5 – 10 million)")
    SUPER_LARGE = "super_large", _("Super-large city (≥ 10 million)")


class Trust(models.TextChoices):
    VERIFIED = "V", _("Verified")
    SECONDARY = "S", _("Secondary source")
    UNVERIFIED = "U", _("Unverified")


# Lower bounds (inclusive: "X以上" includes X) of each class, in people.
SIZE_CLASS_LOWER_BOUNDS: list[tuple[int, CitySizeClass]] = [
    (10_000_000, CitySizeClass.SUPER_LARGE),
    (5_000_000, CitySizeClass.VERY_LARGE),
    (3_000_000, CitySizeClass.LARGE_I),
    (1_000_000, CitySizeClass.LARGE_II),
    (500_000, CitySizeClass.MEDIUM),
    (200_000, CitySizeClass.SMALL_I),
    (0, CitySizeClass.SMALL_II),
]


def size_class_for_population(population: int) -> CitySizeClass:
    for bound, size_class in SIZE_CLASS_LOWER_BOUNDS:
        if population >= bound:
            return size_class
    return CitySizeClass.SMALL_II
