from django.contrib import admin

from .models import Reminder, ReminderOptOut


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders change through planning and sending, never by hand."""

    list_display = [
        "id",
        "kind",
        "client",
        "channel",
        "due_at",
        "status",
        "skip_reason",
        "attempts",
    ]
    list_filter = ["status", "kind", "channel", "skip_reason"]
    search_fields = ["client__first_name", "client__last_name", "client__email"]
    date_hierarchy = "due_at"
    list_select_related = ["client"]
    raw_id_fields = ["client", "appointment", "plan", "invoice"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    """Deleting an opt-out starts that channel's reminders again, at the client's request."""

    list_display = ["client", "channel", "opted_out_at"]
    list_filter = ["channel"]
    search_fields = ["client__first_name", "client__last_name", "client__email"]
    raw_id_fields = ["client"]
