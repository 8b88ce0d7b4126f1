from django.urls import path

from . import lockouts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.client_home, name="client-home"),
    path("me/visits/", views.client_visits, name="client-visits"),
    path("me/progress/", views.client_progress, name="client-progress"),
    path("me/documents/", views.client_documents, name="client-documents"),
    path("me/notifications/", views.client_notifications, name="client-notifications"),
    path("desk/", views.front_desk_home, name="front-desk-home"),
    path("therapist/", views.therapist_home, name="therapist-home"),
    path("manage/", views.admin_home, name="admin-home"),
    path("manage/sign-in-lockouts/", lockouts.lockouts, name="sign-in-lockouts"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
]
