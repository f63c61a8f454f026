from django.urls import path

from . import views

app_name = "classifications"
urlpatterns = [
    path("", views.occupation_options, name="occupation_options"),
]
