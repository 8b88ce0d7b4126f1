"""A task that does nothing: the broker-and-worker baseline bench/reminders.py compares with.
The worker imports it with `-I bench.tasks`."""

from celery import shared_task


@shared_task(ignore_result=True)
def empty():
    """Nothing: its rate is what Celery, Redis and the worker cost per task."""
