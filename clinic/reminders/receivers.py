"""Reminders kept in step with the changes lower apps announce (connected in ready()).

Each receiver runs inside the sender's transaction, so a rolled-back booking, plan or intake
plans and skips nothing. Balance reminders are planned once the money change is committed
(balance.plan_after_commit), so an invoice issued and paid in one checkout leaves no row.
"""

from django.db import transaction
from django.dispatch import receiver

from clinic.billing.signals import balance_changed
from clinic.booking.signals import appointment_changed
from clinic.core.signals import clinic_settings_changed
from clinic.waitlist.signals import offer_made
from intake.signals import intake_submitted
from sessions.signals import plan_saved

from . import balance
from .planning import intake_received, plan_for_appointment, replan_upcoming
from .practice import plan_for_plan


@receiver(appointment_changed, dispatch_uid="reminders.plan_for_appointment")
def appointment_reminders(sender, appointment, now=None, **kwargs) -> None:
    plan_for_appointment(appointment, now)


@receiver(plan_saved, dispatch_uid="reminders.plan_for_plan")
def plan_reminders(sender, plan, **kwargs) -> None:
    plan_for_plan(plan)


@receiver(intake_submitted, dispatch_uid="reminders.intake_received")
def intake_reminders(sender, intake, now=None, **kwargs) -> None:
    intake_received(intake.client, now)


# The settings that decide when visit reminders go out.
TIMING = {"first_reminder_hours", "second_reminder_hours", "quiet_hours_start", "quiet_hours_end"}


@receiver(clinic_settings_changed, dispatch_uid="reminders.replan_upcoming")
def settings_reminders(sender, changed, **kwargs) -> None:
    if changed & TIMING:
        replan_upcoming()
    if changed & balance.SETTINGS:
        balance.replan_balances()


@receiver(balance_changed, dispatch_uid="reminders.plan_for_invoice")
def balance_reminders(sender, invoice_id, **kwargs) -> None:
    balance.plan_after_commit(invoice_id)


@receiver(offer_made, dispatch_uid="reminders.send_waitlist_offer")
def waitlist_offer(sender, offer, **kwargs) -> None:
    from .tasks import send_waitlist_offer

    # robust: a broker that is down must not undo the offer; the dispatch pass sends it later.
    transaction.on_commit(lambda: send_waitlist_offer.delay(offer.pk), robust=True)
