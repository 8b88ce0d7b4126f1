from django.contrib import admin

from .models import FreedSlot, Offer, WaitlistEntry


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["client", "service", "status", "created_at"]
    list_filter = ["status", "service"]
    raw_id_fields = ["client"]


@admin.register(FreedSlot)
class FreedSlotAdmin(admin.ModelAdmin):
    list_display = ["therapist", "starts_at", "reason", "status", "freed_at"]
    list_filter = ["status", "reason"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["client", "therapist", "starts_at", "status", "sent_at", "expires_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["client", "entry", "slot", "appointment"]
