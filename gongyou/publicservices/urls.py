from django.urls import path

from . import views

app_name = "publicservices"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("services/new/", views.service_new_page, name="service_new"),
    path("services/<int:service_id>/", views.service_page, name="service"),
    path("services/<int:service_id>/versions/new/", views.version_new_page, name="version_new"),
    path("versions/<int:version_id>/edit/", views.version_edit_page, name="version_edit"),
    path(
        "versions/<int:version_id>/transition/",
        views.version_transition_page,
        name="version_transition",
    ),
    path("workers/<int:worker_id>/", views.worker_page, name="worker"),
    path("workers/<int:worker_id>/print/", views.worker_print_page, name="worker_print"),
    path("workers/<int:worker_id>/text/", views.worker_text_page, name="worker_text"),
    path("workers/<int:worker_id>/family/", views.family_add_page, name="family_add"),
    path(
        "workers/<int:worker_id>/family/<int:member_id>/",
        views.family_edit_page,
        name="family_edit",
    ),
    path("workers/<int:worker_id>/refer/", views.referral_create_page, name="refer"),
    path("referrals/", views.referral_list_page, name="referrals"),
    path("referrals/<int:referral_id>/", views.referral_page, name="referral"),
    path(
        "referrals/<int:referral_id>/transition/",
        views.referral_transition_page,
        name="referral_transition",
    ),
    path("activities/", views.activity_list_page, name="activities"),
    path("activities/new/", views.activity_new_page, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_page, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit_page, name="activity_edit"),
    path(
        "activities/<int:activity_id>/transition/",
        views.activity_transition_page,
        name="activity_transition",
    ),
    path(
        "activities/<int:activity_id>/register/",
        views.activity_register_page,
        name="activity_register",
    ),
    path(
        "activity-registrations/<int:registration_id>/transition/",
        views.registration_transition_page,
        name="registration_transition",
    ),
    path(
        "activity-registrations/<int:registration_id>/feedback/",
        views.registration_feedback_page,
        name="registration_feedback",
    ),
]
