"""The API's count: exact for the lists a clinic reads, bounded for a chain's millions of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.accounts.models import Client, Role
from clinic.core import pagination
from clinic.core.pagination import bounded_count
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def make_clients(count):
    Client.objects.bulk_create(Client(first_name=f"C{n}", last_name="Count") for n in range(count))


def test_a_count_within_the_limit_is_exact():
    make_clients(5)
    assert bounded_count(Client.objects.all(), limit=5) == 5


def test_a_count_past_the_limit_stops_reading_there_and_takes_the_estimate():
    make_clients(8)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_client")  # the planner's estimate, as autovacuum keeps it
    with CaptureQueriesContext(connection) as queries:
        assert bounded_count(Client.objects.all(), limit=3) == 8
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_the_appointment_list_counts_within_a_limit(client_as, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 50)
    AppointmentFactory()
    with CaptureQueriesContext(connection) as queries:
        body = client_as(Role.FRONT_DESK).get("/api/appointments/").json()
    assert body["count"] == 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 51" in counts[0]
