"""Intake records in Django's admin: searchable and filterable, and read-only: they are
evidence (answers, results, clearances, links, check-ins, alerts, clients' uploads), so every
write goes through intake.services, nothing is deleted here, and opening a clinical record's
page is audited as a view, like any other read of it."""

from django.contrib import admin

from clinic.audit.readonly_admin import AuditedReadOnlyAdmin, ReadOnlyAdmin

from .models import Clearance, ClearanceUpload, Intake, IntakeAlert, IntakeCheckIn, IntakeLink

CLIENT_SEARCH = ["client__first_name", "client__last_name", "client__email"]


@admin.register(Intake)
class IntakeAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "outcome", "submitted_at", "valid_until", "superseded_at"]
    list_filter = ["outcome", "rules_version", "submitted_at"]
    search_fields = CLIENT_SEARCH
    list_select_related = ["client"]
    date_hierarchy = "submitted_at"


@admin.register(Clearance)
class ClearanceAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "provider_name", "cleared_on", "recorded_at", "recorded_by"]
    list_filter = ["cleared_on", "recorded_at"]
    search_fields = [*CLIENT_SEARCH, "provider_name", "note"]
    list_select_related = ["client", "recorded_by"]


@admin.register(IntakeLink)
class IntakeLinkAdmin(ReadOnlyAdmin):
    list_display = ["client", "sent_to", "created_at", "created_by", "used_at", "retired_at"]
    list_filter = ["created_at", "used_at"]
    search_fields = [*CLIENT_SEARCH, "sent_to"]
    list_select_related = ["client", "created_by"]
    exclude = ["nonce"]


@admin.register(IntakeCheckIn)
class IntakeCheckInAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "changed", "answered_at", "recorded_by", "appointment_id"]
    list_filter = ["changed", "answered_at"]
    search_fields = CLIENT_SEARCH
    list_select_related = ["client", "recorded_by"]


@admin.register(IntakeAlert)
class IntakeAlertAdmin(ReadOnlyAdmin):
    list_display = ["intake", "kind", "recipient", "created_at", "seen_at"]
    list_filter = ["kind", "seen_at", "created_at"]
    search_fields = [
        "recipient__email",
        "intake__client__first_name",
        "intake__client__last_name",
    ]
    list_select_related = ["intake__client", "recipient"]


@admin.register(ClearanceUpload)
class ClearanceUploadAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "uploaded_at", "uploaded_by", "reviewed_at", "clearance"]
    list_filter = ["uploaded_at", "reviewed_at"]
    search_fields = CLIENT_SEARCH
    list_select_related = ["client", "uploaded_by", "clearance"]
