from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.round_list_page, name="rounds"),
    path("rounds/new/", views.round_create_page, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail_page, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit_page, name="round_edit"),
    path("rounds/<int:round_id>/quotas/", views.round_quota_page, name="round_quota"),
    path("rounds/<int:round_id>/conclude/", views.round_conclude_page, name="round_conclude"),
    path("rounds/<int:round_id>/notice/", views.round_notice_page, name="round_notice"),
    path("rounds/<int:round_id>/nominate/", views.nominate_page, name="nominate"),
    path("workers/", views.worker_search, name="worker_search"),
    path("nominations/<int:nomination_id>/", views.nomination_detail_page, name="nomination"),
    path(
        "nominations/<int:nomination_id>/transition/",
        views.nomination_transition_page,
        name="nomination_transition",
    ),
    path(
        "nominations/<int:nomination_id>/edit/", views.nomination_edit_page, name="nomination_edit"
    ),
    path("nominations/<int:nomination_id>/evidence/", views.evidence_add_page, name="evidence_add"),
    path(
        "nominations/<int:nomination_id>/evidence/<int:evidence_id>/",
        views.evidence_download_page,
        name="evidence_download",
    ),
    path(
        "nominations/<int:nomination_id>/objections/",
        views.objection_add_page,
        name="objection_add",
    ),
    path(
        "nominations/<int:nomination_id>/objections/<int:objection_id>/handle/",
        views.objection_handle_page,
        name="objection_handle",
    ),
]
