from django.urls import path

from . import views

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="reminder-confirm"),
    path("cancel/<str:token>/", views.cancel, name="reminder-cancel"),
    path("done/<str:token>/", views.done, name="reminder-done"),
    path("stop/<str:token>/", views.opt_out, name="reminder-opt-out"),
    path("settings/", views.reminder_settings, name="reminder-settings"),
    path("<int:pk>/retry/", views.retry, name="reminder-retry"),
]
