from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.home_page, name="home"),
    path("campaigns/", views.campaign_list_page, name="campaigns"),
    path("campaigns/new/", views.campaign_create_page, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail_page, name="campaign"),
    path("courses/", views.course_list_page, name="courses"),
    path("courses/new/", views.course_create_page, name="course_new"),
    path("courses/<int:course_id>/", views.course_detail_page, name="course"),
    path("courses/<int:course_id>/edit/", views.course_edit_page, name="course_edit"),
    path("courses/<int:course_id>/claims/", views.course_claims_page, name="course_claims"),
    path("enrolments/<int:enrolment_id>/", views.enrolment_detail_page, name="enrolment"),
    path(
        "enrolments/<int:enrolment_id>/transition/",
        views.enrolment_transition_page,
        name="enrolment_transition",
    ),
    path("enrolments/<int:enrolment_id>/attendance/", views.attendance_page, name="attendance"),
    path(
        "enrolments/<int:enrolment_id>/claim/", views.enrolment_claim_page, name="enrolment_claim"
    ),
    path("claims/", views.claim_list_page, name="claims"),
    path("claims/<int:claim_id>/transition/", views.claim_transition_page, name="claim_transition"),
    path("eligibility/", views.eligibility_page, name="eligibility"),
    path("eligibility/rules/", views.rule_list_page, name="rules"),
    path("eligibility/rules/<int:rule_id>/", views.rule_edit_page, name="rule_edit"),
    path("education/", views.education_page, name="education"),
    path("education/programmes/<int:programme_id>/", views.programme_page, name="programme"),
    path("education/studies/<int:study_id>/", views.study_page, name="study"),
    path("workers/<int:worker_id>/pathway/", views.pathway_page, name="pathway"),
]
