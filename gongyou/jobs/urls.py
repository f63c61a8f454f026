from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.vacancy_list_page, name="vacancies"),
    path("vacancies/new/", views.vacancy_create_page, name="vacancy_new"),
    path("vacancies/<int:vacancy_id>/", views.vacancy_detail_page, name="vacancy"),
    path("vacancies/<int:vacancy_id>/edit/", views.vacancy_edit_page, name="vacancy_edit"),
    path(
        "vacancies/<int:vacancy_id>/transition/",
        views.vacancy_transition_page,
        name="vacancy_transition",
    ),
    path(
        "vacancies/<int:vacancy_id>/candidates/",
        views.vacancy_candidates_page,
        name="vacancy_candidates",
    ),
    path("vacancies/<int:vacancy_id>/refer/", views.vacancy_refer_page, name="vacancy_refer"),
    path("workers/<int:worker_id>/", views.worker_jobs_page, name="worker"),
    path("workers/<int:worker_id>/profile/", views.worker_profile_page, name="worker_profile"),
    path("workers/<int:worker_id>/refer/", views.worker_refer_page, name="worker_refer"),
    path(
        "workers/<int:worker_id>/placement/", views.worker_placement_page, name="worker_placement"
    ),
    path("referrals/", views.referral_queue_page, name="referrals"),
    path("referrals/<int:referral_id>/", views.referral_detail_page, name="referral"),
    path(
        "referrals/<int:referral_id>/transition/",
        views.referral_transition_page,
        name="referral_transition",
    ),
    path("follow-ups/", views.followup_list_page, name="followups"),
    path("follow-ups/<int:followup_id>/", views.followup_answer_page, name="followup_answer"),
    path("fairs/", views.fair_list_page, name="fairs"),
    path("fairs/<int:fair_id>/", views.fair_detail_page, name="fair"),
    path(
        "fairs/<int:fair_id>/registrations/<int:registration_id>/attended/",
        views.fair_attended_page,
        name="fair_attended",
    ),
    path("fairs/<int:fair_id>/<str:action>/", views.fair_action_page, name="fair_action"),
]
