"""The booking scenes (a service, a room, a therapist's hours) for the security tests."""

from tests.booking.conftest import hours, room, service  # noqa: F401
