"""What billing tells the apps above it, sent inside the transaction that made the change."""

from django.dispatch import Signal

# What the client owes on an issued invoice may have changed: it was issued, paid, refunded or
# credited. Sent with `invoice_id` (the invoice's, never a credit note's).
balance_changed = Signal()
