from django.urls import include, path

from gongyou.core import views as core_views

from .api import api

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("gongyou.accounts.urls")),
    path("workers/", include("gongyou.workers.urls")),
    path("stations/", include("gongyou.stations.urls")),
    path("cases/", include("gongyou.cases.urls")),
    path("employers/", include("gongyou.employers.urls")),
    path("training/", include("gongyou.training.urls")),
    path("settlement/", include("gongyou.settlement.urls")),
    path("jobs/", include("gongyou.jobs.urls")),
    path("recognition/", include("gongyou.recognition.urls")),
    path("public-services/", include("gongyou.publicservices.urls")),
    path("indicators/", include("gongyou.indicators.urls")),
    path("me/", include("gongyou.portal.urls")),
    path("reference/regions/", include("gongyou.regions.urls")),
    path("reference/occupations/", include("gongyou.classifications.urls")),
    path("ops/", include("gongyou.ops.urls")),
    path("imports/", include("gongyou.imports.urls")),
    path("exports/", include("gongyou.exports.urls")),
    path("privacy/", include("gongyou.privacy.urls")),
    path("", include("gongyou.core.urls")),
]
