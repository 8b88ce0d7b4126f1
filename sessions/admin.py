"""Admin for plans, notes and practice: view-only.

Plans and notes change only through the app (sessions/plans.py, sessions/notes.py), where the
safety check, the signing lock and the audit log live; the admin shows them, never deletes them,
and a signed note is refused by the database anyway. Admin views are audited too.
"""

from django.contrib import admin

from clinic.audit.readonly_admin import AuditedReadOnlyAdmin

from .models import Amendment, PracticeLog, SessionNote, TreatmentPlan


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "therapist", "status", "starts_on", "review_on", "visits_planned"]
    list_filter = ["status", "frequency_weeks"]
    search_fields = ["client__first_name", "client__last_name"]
    list_select_related = ["client", "therapist__user"]


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fields = ["created_at", "author", "reason", "text", "content_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SessionNote)
class SessionNoteAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "therapist", "session_on", "pain_before", "pain_after", "signed_at"]
    list_filter = [("signed_at", admin.EmptyFieldListFilter), "session_on"]
    search_fields = ["client__first_name", "client__last_name"]
    list_select_related = ["client", "therapist__user"]
    inlines = [AmendmentInline]


@admin.register(PracticeLog)
class PracticeLogAdmin(AuditedReadOnlyAdmin):
    list_display = ["client", "practiced_on", "pain_now", "source"]
    list_filter = ["source", "practiced_on"]
    list_select_related = ["client"]
