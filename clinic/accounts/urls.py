from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
