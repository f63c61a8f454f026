from django.urls import path

from . import views

app_name = "workers"
urlpatterns = [
    path("", views.worker_list_page, name="list"),
    path("register/", views.worker_register_page, name="register"),
    path("register/check-id/", views.worker_id_check, name="id_check"),
    path("duplicates/", views.worker_duplicates_page, name="duplicates"),
    path("merge/<int:first_id>/<int:second_id>/", views.worker_merge_page, name="merge"),
    path("merges/<int:merge_id>/undo/", views.worker_merge_undo_page, name="merge_undo"),
    path("<int:worker_id>/", views.worker_detail_page, name="detail"),
    path("<int:worker_id>/edit/", views.worker_edit_page, name="edit"),
    path("<int:worker_id>/reveal/", views.worker_reveal_page, name="reveal"),
    path("<int:worker_id>/certificates/", views.certificate_add_page, name="certificate_add"),
    path("<int:worker_id>/consent/", views.consent_page, name="consent"),
]
