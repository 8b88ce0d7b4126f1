from django.urls import path

from . import api

urlpatterns = [
    path("privacy/requests/", api.AccessRequestList.as_view(), name="api-privacy-requests"),
    path(
        "privacy/requests/<int:pk>/fulfil/",
        api.FulfilAccessRequest.as_view(),
        name="api-privacy-request-fulfil",
    ),
    path(
        "privacy/clients/<int:pk>/export/",
        api.RecordExportFhir.as_view(),
        name="api-privacy-export",
    ),
    path("privacy/breaches/", api.BreachList.as_view(), name="api-privacy-breaches"),
    path("privacy/breaches/<int:pk>/", api.BreachDetail.as_view(), name="api-privacy-breach"),
    path("privacy/retention/", api.RetentionDue.as_view(), name="api-privacy-retention"),
]
