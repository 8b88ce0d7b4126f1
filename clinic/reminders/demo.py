"""Demo reminders: every demo visit and plan planned, and one failed reminder for the desk."""

from django.db import transaction

from .models import Reminder, ReminderKind, ReminderStatus
from .planning import replan_upcoming
from .practice import replan_active_plans

DEMO_ERROR = "SMTPRecipientsRefused: the mail server refused the address (demo)"


def seed(people):
    """Plan once the whole demo has committed: the booking and treatment demos write their
    visits and plans after this app's turn. Planning is idempotent, so seeding twice adds
    nothing."""
    transaction.on_commit(lambda: _plan_demo(people))


def _plan_demo(people):
    with transaction.atomic():
        replan_upcoming()
        replan_active_plans()
        if Reminder.objects.filter(status=ReminderStatus.FAILED).exists():
            return
        # One reminder the front desk sees as failed, to show the list and its retry button.
        reminder = (
            Reminder.objects.filter(
                kind=ReminderKind.APPOINTMENT,
                status=ReminderStatus.PENDING,
                client__in=people.clients,
            )
            .order_by("due_at")
            .first()
        )
        if reminder is not None:
            Reminder.objects.filter(pk=reminder.pk).update(
                status=ReminderStatus.FAILED, attempts=5, last_error=DEMO_ERROR
            )
