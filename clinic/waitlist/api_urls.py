from django.urls import path

from . import api

urlpatterns = [
    path("waitlist/", api.EntryList.as_view(), name="api-waitlist"),
    path("waitlist/<int:pk>/remove/", api.EntryRemove.as_view(), name="api-waitlist-remove"),
    path("waitlist/offers/", api.OfferList.as_view(), name="api-waitlist-offers"),
    path("waitlist/offers/time/", api.OfferTime.as_view(), name="api-waitlist-offer-time"),
    path("waitlist/offers/answer/", api.OfferAnswer.as_view(), name="api-waitlist-answer"),
]
