from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_queue_page, name="queue"),
    path("new/", views.case_intake_page, name="new"),
    path("new/workers/", views.worker_search, name="worker_search"),
    path("new/claimant-row/", views.claimant_row, name="claimant_row"),
    path("new/employers/", views.employer_search, name="employer_search"),
    path("new/respondent-row/", views.respondent_row, name="respondent_row"),
    path("new/projects/", views.project_search, name="project_search"),
    path("new/project-pick/", views.project_pick, name="project_pick"),
    path("<int:case_id>/", views.case_detail_page, name="detail"),
    path("<int:case_id>/transition/", views.case_transition_page, name="transition"),
    path("<int:case_id>/assign/", views.case_assign_page, name="assign"),
    path("<int:case_id>/transfer/", views.case_transfer_page, name="transfer"),
    path("<int:case_id>/refer/", views.case_refer_page, name="refer"),
    path("<int:case_id>/claimants/", views.claimant_add_page, name="claimant_add"),
    path(
        "<int:case_id>/claimants/<int:claimant_id>/outcome/",
        views.claimant_outcome_page,
        name="outcome",
    ),
    path(
        "<int:case_id>/deadlines/<int:deadline_id>/extend/",
        views.deadline_extend_page,
        name="deadline_extend",
    ),
    path(
        "<int:case_id>/deadlines/<int:deadline_id>/met/",
        views.deadline_met_page,
        name="deadline_met",
    ),
    path("<int:case_id>/notes/", views.case_note_page, name="note"),
    path("<int:case_id>/evidence/", views.case_attachment_add_page, name="attachment_add"),
    path(
        "<int:case_id>/evidence/<int:attachment_id>/",
        views.case_attachment_download_page,
        name="attachment_download",
    ),
    path("notifications/", views.notification_list_page, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read_page,
        name="notification_read",
    ),
    path("employer/<int:employer_id>/", views.employer_cases_page, name="employer_cases"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("projects/", views.project_list_page, name="projects"),
    path("projects/<int:project_id>/", views.project_detail_page, name="project"),
    path("projects/<int:project_id>/arrears-flag/", views.project_flag_page, name="project_flag"),
]
