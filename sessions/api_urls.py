from django.urls import path

from . import api

urlpatterns = [
    path("plans/", api.PlanList.as_view(), name="api-plans"),
    path("plans/<int:pk>/", api.PlanDetail.as_view(), name="api-plan-detail"),
    path("notes/", api.NoteList.as_view(), name="api-notes"),
    path("notes/<int:pk>/", api.NoteDetail.as_view(), name="api-note-detail"),
    path("notes/<int:pk>/sign/", api.NoteSign.as_view(), name="api-note-sign"),
    path("notes/<int:pk>/amendments/", api.NoteAmendments.as_view(), name="api-note-amendments"),
    path(
        "clients/<int:client_id>/progress/",
        api.ClientProgress.as_view(),
        name="api-client-progress",
    ),
    path(
        "clients/<int:client_id>/practice/",
        api.ClientPractice.as_view(),
        name="api-client-practice",
    ),
]
