"""Scenes borrowed from the booking and treatment tests: a service, a room, a therapist's
hours, and the therapist's client screened all clear; and the clinic admin's test client."""

import pytest

from clinic.accounts.models import Role
from tests.booking.conftest import hours, room, service  # noqa: F401
from tests.treatment.conftest import clear_client  # noqa: F401


@pytest.fixture
def admin(client_as):
    """The test client, signed in as the clinic admin."""
    return client_as(Role.CLINIC_ADMIN)
