from django.contrib import admin

from .models import ClinicSettings


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "first_reminder_hours", "second_reminder_hours"]
    readonly_fields = ["worker_seen_at"]

    def has_add_permission(self, request):
        return not ClinicSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
