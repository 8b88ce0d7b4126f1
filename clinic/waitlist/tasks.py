"""Thin Celery tasks: ids in, clinic/waitlist/offering.py does the work."""

from celery import shared_task

from . import offering


@shared_task(ignore_result=True)
def offer_slot(slot_id):
    """Offer a freed slot to its best match (a no-op when it is offered already or closed)."""
    offering.offer_next(slot_id)


@shared_task(ignore_result=True)
def sweep_offers():
    """Beat, every WAITLIST_SWEEP_INTERVAL seconds: lapse held offers, offer open slots."""
    offering.sweep()
