from django.urls import path

from .views import catalog, settings, staff

urlpatterns = [
    path("manage/staff/", staff.staff_list, name="setup-staff"),
    path("manage/staff/<int:pk>/", staff.staff_detail, name="setup-staff-detail"),
    path("manage/staff/<int:pk>/hours/", staff.staff_hours, name="setup-staff-hours"),
    path(
        "manage/staff/<int:pk>/time-off/<int:time_off>/remove/",
        staff.remove_time_off,
        name="setup-time-off-remove",
    ),
    path("manage/staff/<int:pk>/access/", staff.staff_deactivate, name="setup-staff-deactivate"),
    path("manage/staff/<int:pk>/resend/", staff.staff_resend, name="setup-staff-resend"),
    path("manage/services/", catalog.services, name="setup-services"),
    path("manage/services/new/", catalog.service_new, name="setup-service-new"),
    path("manage/services/<int:pk>/", catalog.service_edit, name="setup-service-edit"),
    path("manage/rooms/", catalog.rooms, name="setup-rooms"),
    path("manage/rooms/new/", catalog.room_new, name="setup-room-new"),
    path("manage/rooms/<int:pk>/", catalog.room_edit, name="setup-room-edit"),
    path("manage/closures/", catalog.closures, name="setup-closures"),
    path("manage/closures/<int:pk>/remove/", catalog.closure_remove, name="setup-closure-remove"),
    path("manage/settings/", settings.clinic_settings, name="setup-settings"),
    path("welcome/<str:token>/", staff.accept_invite, name="setup-accept-invite"),
    path("team/<int:pk>/photo/", staff.therapist_photo, name="setup-therapist-photo"),
]
