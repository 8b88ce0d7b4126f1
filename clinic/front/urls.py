from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.client_home, name="client-home"),
    path("desk/", views.front_desk_home, name="front-desk-home"),
    path("therapist/", views.therapist_home, name="therapist-home"),
    path("manage/", views.admin_home, name="admin-home"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
]
