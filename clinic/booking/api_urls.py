from django.urls import path

from . import api

urlpatterns = [
    path("appointments/", api.AppointmentList.as_view(), name="api-appointments"),
    path(
        "appointments/<int:pk>/cancel/",
        api.CancelAppointment.as_view(),
        name="api-appointment-cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        api.RescheduleAppointment.as_view(),
        name="api-appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/check-in/",
        api.CheckInAppointment.as_view(),
        name="api-appointment-check-in",
    ),
    path("availability/", api.Availability.as_view(), name="api-availability"),
]
