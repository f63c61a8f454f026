from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("link/", views.link, name="link"),
    path("link/cancel/", views.link_cancel, name="link_cancel"),
    path("profile/", views.profile, name="profile"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.complaint_new, name="complaint_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("stations/", views.stations, name="stations"),
    path("training/", views.training, name="training"),
    path("training/<int:course_id>/apply/", views.training_apply, name="training_apply"),
    path("settlement/", views.settlement, name="settlement"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:vacancy_id>/apply/", views.jobs_apply, name="jobs_apply"),
    path("data/", views.my_data, name="my_data"),
    path("data/consent/", views.consent, name="consent"),
    path("data/corrections/", views.correction_new, name="correction_new"),
    path(
        "data/corrections/<int:correction_id>/withdraw/",
        views.correction_withdraw,
        name="correction_withdraw",
    ),
    path("data/download.json", views.data_json, name="data_json"),
    path("data/download.zip", views.data_zip, name="data_zip"),
    path("staff/registrations/", views.staff_registrations, name="staff_registrations"),
    path(
        "staff/registrations/<int:registration_id>/",
        views.staff_registration,
        name="staff_registration",
    ),
    path("staff/corrections/", views.staff_corrections, name="staff_corrections"),
    path("staff/corrections/<int:correction_id>/", views.staff_correction, name="staff_correction"),
]
