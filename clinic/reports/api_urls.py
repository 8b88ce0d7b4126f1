from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.ReportsView.as_view(), name="api-reports"),
    path("reports/<slug:report>/", api.ReportView.as_view(), name="api-report"),
]
