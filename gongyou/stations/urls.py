from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list_page, name="list"),
    path("new/", views.station_create_page, name="create"),
    path("<int:station_id>/", views.station_detail_page, name="detail"),
    path("<int:station_id>/edit/", views.station_edit_page, name="edit"),
    path("<int:station_id>/today/", views.station_today, name="today"),
    path("front-desk/", views.front_desk_page, name="front_desk"),
    path("front-desk/station/", views.front_desk_choose, name="front_desk_choose"),
    path("front-desk/search/", views.front_desk_search, name="front_desk_search"),
    path("front-desk/visits/", views.front_desk_log, name="front_desk_log"),
    path("worker/<int:worker_id>/visits/", views.worker_visits, name="worker_visits"),
]
