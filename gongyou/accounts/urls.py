from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.token_list_page, name="tokens"),
    path("audit/", views.audit_page, name="audit"),
    path("users/", views.users_page, name="users"),
    path("users/new/", views.user_create_page, name="user_create"),
    path("users/<int:user_id>/", views.user_edit_page, name="user_edit"),
    path("organisations/", views.organisations_page, name="organisations"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_page, name="token_revoke"),
    path("two-factor/setup/", views.two_factor_setup_page, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify_page, name="two_factor_verify"),
    path(
        "users/<int:user_id>/two-factor/reset/",
        views.two_factor_reset_page,
        name="two_factor_reset",
    ),
]
