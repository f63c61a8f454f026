from django.urls import path

from . import views

app_name = "settlement"
urlpatterns = [
    path("", views.policy_list_page, name="policies"),
    path("policies/new/", views.policy_create_page, name="policy_new"),
    path("policies/<int:policy_id>/", views.policy_detail_page, name="policy"),
    path("policies/<int:policy_id>/versions/new/", views.version_new_page, name="version_new"),
    path(
        "policies/<int:policy_id>/versions/first/", views.version_first_page, name="version_first"
    ),
    path("versions/<int:version_id>/", views.version_detail_page, name="version"),
    path("versions/<int:version_id>/edit/", views.version_edit_page, name="version_edit"),
    path(
        "versions/<int:version_id>/transition/",
        views.version_transition_page,
        name="version_transition",
    ),
    path("versions/<int:version_id>/impact/", views.version_impact_page, name="version_impact"),
    path("groups/", views.group_list_page, name="groups"),
    path("groups/<int:group_id>/edit/", views.group_edit_page, name="group_edit"),
    path("workers/<int:worker_id>/", views.worker_page, name="worker"),
    path("workers/<int:worker_id>/answer/", views.answer_print_page, name="answer_print"),
    path(
        "workers/<int:worker_id>/contributions/",
        views.contribution_add_page,
        name="contribution_add",
    ),
    path(
        "workers/<int:worker_id>/contributions/<int:spell_id>/edit/",
        views.contribution_edit_page,
        name="contribution_edit",
    ),
    path(
        "workers/<int:worker_id>/contributions/<int:spell_id>/delete/",
        views.contribution_delete_page,
        name="contribution_delete",
    ),
    path("workers/<int:worker_id>/residences/", views.residence_add_page, name="residence_add"),
    path(
        "workers/<int:worker_id>/residences/<int:spell_id>/edit/",
        views.residence_edit_page,
        name="residence_edit",
    ),
    path(
        "workers/<int:worker_id>/residences/<int:spell_id>/delete/",
        views.residence_delete_page,
        name="residence_delete",
    ),
    path("workers/<int:worker_id>/facts/", views.fact_set_page, name="fact_set"),
]
