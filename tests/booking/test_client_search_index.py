"""The client search reads a chain's clients through trigram indexes, not a scan of them all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.booking.selectors import search_clients
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def plan_of_search(query):
    """The search's client query as PostgreSQL would run it on a table too big to scan."""
    with CaptureQueriesContext(connection) as queries:
        search_clients(query)
    with connection.cursor() as cursor:
        # A test table is tiny, so the planner would read it all or walk the name index in
        # order: leave it only the bitmap scans, which need an index that fits the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("Stroud", ["client_first_name_trgm", "client_last_name_trgm", "client_email_trgm"]),
        ("w.stroud@example", ["client_email_trgm"]),
        ("416 555 77", ["client_phone_trgm"]),
    ],
)
def test_each_kind_of_client_search_uses_its_trigram_index(query, indexes):
    ClientFactory(last_name="Stroud", phone="+1 416 555 7788", email="w.stroud@example.com")
    plan = plan_of_search(query)
    for index in indexes:
        assert f"Bitmap Index Scan on {index}" in plan, plan
    assert "Seq Scan on accounts_client" not in plan, plan
