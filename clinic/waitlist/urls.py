from django.urls import path

from . import views

urlpatterns = [
    path("", views.desk, name="waitlist-desk"),
    path("clients/<int:client_pk>/add/", views.add_entry, name="waitlist-add"),
    path("join/", views.join_self, name="waitlist-join"),
    path("<int:pk>/remove/", views.remove_entry, name="waitlist-remove"),
    path("offer-by-hand/", views.offer_by_hand, name="waitlist-offer-by-hand"),
    path("offer-time/", views.offer_time, name="waitlist-offer-time"),
    path("offer/<str:token>/", views.offer_page, name="waitlist-offer"),
]
