from django.urls import path

from . import api

urlpatterns = [
    path("reminders/", api.ReminderList.as_view(), name="api-reminders"),
    path("reminders/<int:pk>/retry/", api.RetryReminder.as_view(), name="api-reminder-retry"),
    path("reminders/rebook/", api.RebookList.as_view(), name="api-reminder-rebook"),
    path("reminders/settings/", api.ReminderSettings.as_view(), name="api-reminder-settings"),
    path("reminders/links/<str:purpose>/", api.LinkAction.as_view(), name="api-reminder-link"),
]
