from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="privacy-home"),
    path("clients/<int:pk>/", views.client_page, name="privacy-client"),
    path("clients/<int:pk>/export.pdf", views.export_pdf, name="privacy-export-pdf"),
    path("clients/<int:pk>/export.json", views.export_fhir, name="privacy-export-fhir"),
    path("requests/", views.request_list, name="privacy-requests"),
    path("requests/<int:pk>/fulfil/", views.request_fulfil, name="privacy-request-fulfil"),
    path("retention/", views.retention_list, name="privacy-retention"),
    path("retention/<int:pk>/destroy/", views.destroy, name="privacy-destroy"),
    path("breaches/", views.breach_list, name="privacy-breaches"),
    path("breaches/<int:pk>/", views.breach_detail, name="privacy-breach"),
    path("breaches/<int:pk>/reported/", views.breach_reported, name="privacy-breach-reported"),
]
