from django.urls import path

from . import views

urlpatterns = [
    path("fill/<str:token>/", views.link_form, name="intake-link-form"),
    path("me/", views.my_form, name="intake-my-form"),
    path("thanks/", views.thanks, name="intake-thanks"),
    path("me/clearance/", views.my_clearance, name="intake-my-clearance"),
    path("clearance/<str:token>/", views.link_clearance, name="intake-link-clearance"),
    path("clients/<int:pk>/send-link/", views.send_link, name="intake-send-link"),
    path("clients/<int:pk>/check-in/", views.check_in, name="intake-check-in"),
    path("clients/<int:pk>/clearance/", views.add_clearance, name="intake-clearance-add"),
    path(
        "clearances/<int:pk>/document/", views.clearance_document, name="intake-clearance-document"
    ),
    path("uploads/<int:pk>/document/", views.upload_document, name="intake-upload-document"),
    path("alerts/seen/", views.alerts_seen, name="intake-alerts-seen"),
]
