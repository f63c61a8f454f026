from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list_page, name="list"),
    path("new/", views.import_new_page, name="new"),
    path("templates/<str:kind>.<str:fmt>", views.import_template_download, name="template"),
    path("<int:job_id>/", views.import_detail_page, name="detail"),
    path("<int:job_id>/cancel/", views.import_cancel_page, name="cancel"),
    path("<int:job_id>/errors.csv", views.import_errors_csv, name="errors_csv"),
    path("<int:job_id>/errors.xlsx", views.import_errors_xlsx, name="errors_xlsx"),
]
