"""What intake tells the apps above it, without importing them.

Signals are sent inside the transaction that made the change, so what a receiver writes (the
reminders it skips, for one) commits or rolls back with the change itself.
"""

from django.dispatch import Signal

# A client's intake was stored (through a link, their account, or the staff). Arguments:
# intake, now.
intake_submitted = Signal()
