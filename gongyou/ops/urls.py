from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("tasks/", views.task_list_page, name="tasks"),
    path("tasks/<str:result_id>/", views.task_detail_page, name="task_detail"),
    path("tasks/<str:result_id>/retry/", views.task_retry_page, name="task_retry"),
]
