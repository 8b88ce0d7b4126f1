from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application, never by hand."""

    list_display = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "client",
        "ip_address",
    ]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["actor_label", "object_id", "client__last_name", "client__first_name"]
    list_select_related = ["client"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
