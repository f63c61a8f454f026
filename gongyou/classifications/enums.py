"""Small fixed classifications used across the programme.

Industries follow the sectors of the NBS migrant-worker monitoring survey; employment forms
include the three categories of the 2021 new-employment-form guideline (人社部发〔2021〕56号);
skill levels are the five national vocational skill levels (一级 is the highest).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Never attended school")
    PRIMARY = "primary", _("Primary school")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary school")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational / technical school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}


class Industry(models.TextChoices):
    """Sectors as reported in the NBS migrant-worker monitoring survey."""

    AGRICULTURE = "agriculture", _("Agriculture, forestry, animal husbandry and fishery")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    MINING_UTILITIES = "mining_utilities", _("Mining, electricity, gas and water")
    WHOLESALE_RETAIL = "wholesale_retail", _("Wholesale and retail")
    TRANSPORT = "transport", _("Transport, storage and post")
    ACCOMMODATION_CATERING = "accommodation_catering", _("Accommodation and catering")
    RESIDENT_SERVICES = "resident_services", _("Resident services, repair and other services")
    OTHER = "other", _("Other industries")


class EmploymentForm(models.TextChoices):
    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
    LABOUR_DISPATCH = "labour_dispatch", _("Labour dispatch")
    # The three categories of the 2021 guideline on new forms of employment.
    NEW_FORM_EMPLOYMENT = (
        "new_form_employment",
        _("New employment form: full employment relationship"),
    )
    NEW_FORM_MANAGED = (
        "new_form_managed",
        _("New employment form: not fully an employment relationship (written agreement)"),
    )
    NEW_FORM_INDEPENDENT = (
        "new_form_independent",
        _("New employment form: independent business via a platform"),
    )
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FLEXIBLE = "flexible", _("Flexible employment")
    UNEMPLOYED = "unemployed", _("Not currently employed")


class SkillLevel(models.IntegerChoices):
    """Five national vocational skill levels; the number is the official grade (1 = highest)."""

    LEVEL_5 = 5, _("Level 5 – Junior worker (五级/初级工)")
    LEVEL_4 = 4, _("Level 4 – Intermediate worker (四级/中级工)")
    LEVEL_3 = 3, _("Level 3 – Senior worker (三级/高级工)")
    LEVEL_2 = 2, _("Level 2 – Technician (二级/技师)")
    LEVEL_1 = 1, _("Level 1 – Senior technician (一级/高级技师)")


class CertificateKind(models.TextChoices):
    SKILL_LEVEL = "skill_level", _("Vocational skill-level certificate")
    ACCESS_LICENCE = "access_licence", _("Access-type licence (e.g. special operations)")
