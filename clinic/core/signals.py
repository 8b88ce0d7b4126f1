"""What clinic/core tells the apps above it."""

from django.dispatch import Signal

# Sent inside the transaction that saved the clinic's settings, with `changed`: the set of field
# names whose value changed (e.g. reminders re-plans upcoming visits when a lead time changed).
clinic_settings_changed = Signal()
