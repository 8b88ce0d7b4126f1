"""What the waitlist tells the apps above it (reminders sends offers), without importing them.

Sent inside the transaction that made the offer, so a receiver's on-commit work happens only
for an offer that exists.
"""

from django.dispatch import Signal

# An offer row was made and waits to be sent. Argument: offer.
offer_made = Signal()
