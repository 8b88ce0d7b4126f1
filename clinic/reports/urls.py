from django.urls import path

from . import views

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<slug:table>.csv", views.report_csv, name="report-csv"),
]
