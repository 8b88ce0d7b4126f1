"""Thin Celery tasks: ids in, the domain functions do the work. No health data in arguments."""

from celery import shared_task
from django.conf import settings

from . import balance, dispatch, offers, planning, practice, sending


@shared_task(ignore_result=True)
def send_reminders(reminder_ids):
    """Send claimed reminders, each once (a no-op for any no longer pending and claimed)."""
    sending.send_reminders(reminder_ids)


@shared_task(ignore_result=True)
def dispatch_due_reminders():
    """Beat, every REMINDER_DISPATCH_INTERVAL seconds: claim due reminders, enqueue sends."""
    dispatch.dispatch_pass(time_budget=settings.REMINDER_DISPATCH_INTERVAL * 0.8)
    offers.enqueue_unsent()


@shared_task(ignore_result=True)
def plan_reminders():
    """Beat, hourly: top up each active plan's week of practice reminders and rebook nudge,
    re-plan visits starting soon, and plan the next reminder of each balance still owed."""
    practice.replan_active_plans()
    planning.replan_upcoming()
    balance.replan_balances()


@shared_task(ignore_result=True)
def send_waitlist_offer(offer_id):
    """Send a waitlist offer, once (a no-op when it is sent or no longer live)."""
    offers.send_offer(offer_id)
