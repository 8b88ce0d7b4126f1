"""What the treatment app tells the apps above it, sent inside the transaction of the change."""

from django.dispatch import Signal

# A treatment plan was created or changed. Arguments: plan.
plan_saved = Signal()
