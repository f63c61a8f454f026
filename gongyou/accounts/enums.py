from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NATIONAL_FEDERATION = "national_federation", _("National federation of trade unions")
    PROVINCIAL_FEDERATION = "provincial_federation", _("Provincial federation of trade unions")
    CITY_FEDERATION = "city_federation", _("City federation of trade unions")
    DISTRICT_FEDERATION = "district_federation", _("District / county federation of trade unions")
    PARK_FEDERATION = "park_federation", _("Industrial-park federation of trade unions")
    PARTNER_DEPARTMENT = "partner_department", _("Partner department")
    EMPLOYER = "employer", _("Employer")
    TRAINING_PROVIDER = "training_provider", _("Training provider")


class DepartmentType(models.TextChoices):
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    EDUCATION = "education", _("Education")
    JUSTICE = "justice", _("Justice / legal aid")
    PUBLIC_SECURITY = "public_security", _("Public security")
    HOUSING = "housing", _("Housing and urban-rural development")
    HEALTH_SECURITY = "health_security", _("Healthcare security")
    COURT = "court", _("People's court")
    ARBITRATION = "arbitration", _("Labour dispute arbitration commission")
    OTHER = "other", _("Other department")


class Role(models.TextChoices):
    STATION_STAFF = "station_staff", _("Station staff")
    CASE_HANDLER = "case_handler", _("Case handler")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    EMPLOYMENT_OFFICER = "employment_officer", _("Employment officer")
    ANALYST = "analyst", _("Analyst")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    SYSTEM_ADMIN = "system_admin", _("System admin")
