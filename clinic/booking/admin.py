"""Admin for services, rooms, hours and time off; appointments are read-only here, because every
booking change goes through the booking service (the front-desk pages and the API)."""

from django.contrib import admin

from .models import Appointment, Room, Service, TimeOff, WorkingHours


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "buffer_minutes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["therapist", "weekday", "start_time", "end_time", "room"]
    list_filter = ["weekday", "therapist", "room"]
    search_fields = ["therapist__user__first_name", "therapist__user__last_name"]
    list_select_related = ["therapist__user", "room"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["therapist", "starts_at", "ends_at", "reason"]
    list_filter = ["therapist"]
    search_fields = ["therapist__user__first_name", "therapist__user__last_name", "reason"]
    date_hierarchy = "starts_at"
    list_select_related = ["therapist__user"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = [
        "starts_at",
        "client",
        "therapist",
        "service",
        "room",
        "status",
        "self_booked",
        "late_cancellation",
    ]
    list_filter = ["status", "self_booked", "late_cancellation", "therapist", "room", "service"]
    search_fields = [
        "client__first_name",
        "client__last_name",
        "client__email",
        "client__phone",
        "therapist__user__first_name",
        "therapist__user__last_name",
    ]
    date_hierarchy = "starts_at"
    list_select_related = ["client", "therapist__user", "service", "room"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
