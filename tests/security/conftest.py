"""Scenes borrowed from the booking and treatment tests: a service, a room, a therapist's
hours, and the therapist's client screened all clear."""

from tests.booking.conftest import hours, room, service  # noqa: F401
from tests.treatment.conftest import clear_client  # noqa: F401
