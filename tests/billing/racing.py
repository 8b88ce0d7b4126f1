"""Run calls at the same moment, each on its own thread and database connection."""

import threading

from django.db import connections


def at_once(*calls, expected=Exception):
    """Start every call together; return (results, errors) once all have finished. Errors of
    the `expected` type are collected, anything else fails the test."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except expected as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
