from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_page, name="index"),
    path("rules/<str:record_class>/", views.rule_update_page, name="rule_update"),
    path("retention/run/", views.retention_run_page, name="retention_run"),
    path("holds/", views.hold_place_page, name="hold_place"),
    path("holds/<int:hold_id>/release/", views.hold_release_page, name="hold_release"),
    path("anonymise/", views.anonymise_page, name="anonymise"),
    path("rekey/", views.rekey_start_page, name="rekey_start"),
]
