from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list_page, name="list"),
    path("new/", views.employer_create_page, name="new"),
    path("<int:employer_id>/", views.employer_detail_page, name="detail"),
    path("<int:employer_id>/arrears-flag/", views.employer_flag_page, name="flag"),
]
