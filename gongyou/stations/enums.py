from django.db import models
from django.utils.translation import gettext_lazy as _


class StationType(models.TextChoices):
    """Kept distinct: most of the ~180,000 union stations are rest stations, not migrant-worker service stations."""

    SERVICE_STATION = "service_station", _("Migrant-worker service station")
    REST_STATION = (
        "rest_station",
        _("Union rest station for outdoor and new-employment-form workers (工会驿站)"),
    )
    LEGAL_AID_POINT = "legal_aid_point", _("Legal-aid point")
    EMPLOYMENT_POINT = "employment_point", _("Employment service point")


class ServiceType(models.TextChoices):
    REST = "rest", _("Rest")
    DRINKING_WATER = "drinking_water", _("Drinking water")
    PHONE_CHARGING = "phone_charging", _("Phone charging")
    MEAL_HEATING = "meal_heating", _("Meal heating")
    TOILET = "toilet", _("Toilet")
    FIRST_AID = "first_aid", _("First-aid medicines")
    CONSULTATION = "consultation", _("Consultation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    JOB_REFERRAL = "job_referral", _("Job referral")
    TRAINING_SIGNUP = "training_signup", _("Training sign-up")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    OTHER = "other", _("Other")


DEFAULT_SERVICES: dict[str, list[str]] = {
    StationType.SERVICE_STATION: [
        ServiceType.REST,
        ServiceType.DRINKING_WATER,
        ServiceType.CONSULTATION,
        ServiceType.LEGAL_AID,
        ServiceType.JOB_REFERRAL,
        ServiceType.TRAINING_SIGNUP,
        ServiceType.PSYCHOLOGICAL_SUPPORT,
        ServiceType.OTHER,
    ],
    StationType.REST_STATION: [
        ServiceType.REST,
        ServiceType.DRINKING_WATER,
        ServiceType.PHONE_CHARGING,
        ServiceType.MEAL_HEATING,
        ServiceType.TOILET,
        ServiceType.FIRST_AID,
        ServiceType.CONSULTATION,
        ServiceType.OTHER,
    ],
    StationType.LEGAL_AID_POINT: [
        ServiceType.CONSULTATION,
        ServiceType.LEGAL_AID,
        ServiceType.OTHER,
    ],
    StationType.EMPLOYMENT_POINT: [
        ServiceType.CONSULTATION,
        ServiceType.JOB_REFERRAL,
        ServiceType.TRAINING_SIGNUP,
        ServiceType.OTHER,
    ],
}
