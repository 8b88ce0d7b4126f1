"""Admin classes for clinical records: the Django admin shows them, never changes them.

A clinical record changes only through its app's domain functions (which audit the change), so
the admin is read-only for it, and opening one of its pages is a read the audit log records.
"""

from django.contrib import admin

from .log import record
from .models import AuditAction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadOnlyAdmin(ReadOnlyAdmin):
    """For a client's clinical record: its page is a read, written to the audit log."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            record(request, AuditAction.VIEW, obj, detail="admin")
        return super().change_view(request, object_id, form_url, extra_context)
