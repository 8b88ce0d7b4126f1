from django.urls import path

from . import views

urlpatterns = [
    path("visits/<int:pk>/checkout/", views.checkout_view, name="billing-checkout"),
]
