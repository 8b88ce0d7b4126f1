from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("two-factor/", views.verify, name="two-factor-verify"),
    path("two-factor/set-up/", views.enrol, name="two-factor-enrol"),
    path("session/keep-alive/", views.keep_alive, name="session-keep-alive"),
    path("staff-two-factor/", views.staff_two_factor, name="two-factor-staff"),
    path("staff-two-factor/<int:pk>/reset/", views.reset_two_factor, name="two-factor-reset"),
]
