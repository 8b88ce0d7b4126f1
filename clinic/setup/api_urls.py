from django.urls import path

from . import api

urlpatterns = [
    path("manage/staff/", api.StaffList.as_view(), name="api-manage-staff"),
    path("manage/staff/<int:pk>/", api.StaffDetail.as_view(), name="api-manage-staff-detail"),
    path(
        "manage/staff/<int:pk>/deactivate/",
        api.StaffDeactivate.as_view(),
        name="api-manage-staff-deactivate",
    ),
    path("manage/staff/<int:pk>/hours/", api.WeeklyHours.as_view(), name="api-manage-hours"),
    path("manage/services/", api.ServiceList.as_view(), name="api-manage-services"),
    path(
        "manage/services/<int:pk>/", api.ServiceDetail.as_view(), name="api-manage-service-detail"
    ),
    path("manage/rooms/", api.RoomList.as_view(), name="api-manage-rooms"),
    path("manage/rooms/<int:pk>/", api.RoomDetail.as_view(), name="api-manage-room-detail"),
    path("manage/closures/", api.ClosureList.as_view(), name="api-manage-closures"),
    path(
        "manage/closures/<int:pk>/",
        api.ClosureDetail.as_view(),
        name="api-manage-closure-detail",
    ),
    path("manage/settings/", api.Settings.as_view(), name="api-manage-settings"),
]
