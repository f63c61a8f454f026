from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list_page, name="list"),
    path("new/", views.export_new_page, name="new"),
    path("<int:job_id>/", views.export_detail_page, name="detail"),
    path("<int:job_id>/download/", views.export_download, name="download"),
    path("<int:job_id>/retry/", views.export_retry_page, name="retry"),
]
