from django.urls import path

from . import api

urlpatterns = [
    path("intakes/", api.create_intake, name="api-intakes"),
    path("intakes/<int:pk>/", api.intake_detail, name="api-intake-detail"),
    path("clients/<int:pk>/screening/", api.client_screening, name="api-client-screening"),
    path("clients/<int:pk>/clearances/", api.create_clearance, name="api-client-clearances"),
]
