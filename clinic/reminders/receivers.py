"""Reminders kept in step with the changes lower apps announce (connected in ready()).

Each receiver runs inside the sender's transaction, so a rolled-back booking or plan plans
nothing.
"""

from django.dispatch import receiver

from clinic.booking.signals import appointment_changed
from sessions.signals import plan_saved

from .planning import plan_for_appointment
from .practice import plan_for_plan


@receiver(appointment_changed, dispatch_uid="reminders.plan_for_appointment")
def appointment_reminders(sender, appointment, now=None, **kwargs) -> None:
    plan_for_appointment(appointment, now)


@receiver(plan_saved, dispatch_uid="reminders.plan_for_plan")
def plan_reminders(sender, plan, **kwargs) -> None:
    plan_for_plan(plan)
