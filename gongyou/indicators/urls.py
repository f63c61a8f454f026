from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("definitions/", views.catalogue_page, name="catalogue"),
    path("briefing/", views.briefing_page, name="briefing"),
    path("i/<slug:key>/", views.indicator_page, name="indicator"),
    path("i/<slug:key>/export.<str:fmt>", views.indicator_export, name="export"),
]
