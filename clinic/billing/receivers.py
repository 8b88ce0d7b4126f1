"""Billing follows booking: a visit checked in, or a fee-bearing no-show or late cancellation,
gets its draft invoice inside the visit's own transaction (connected in BillingConfig.ready)."""

from django.dispatch import receiver

from clinic.booking.signals import appointment_changed

from .invoices import draft_for_visit


@receiver(appointment_changed, dispatch_uid="billing.draft_for_visit")
def draft_invoice(sender, appointment, **kwargs) -> None:
    draft_for_visit(appointment)
