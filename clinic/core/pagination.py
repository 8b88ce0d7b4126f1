"""The API's one pagination: limit/offset, with a largest page so no limit reaches SQL unbounded,
and a count that never reads a whole large table."""

import json

from django.db import connections
from django.db.models import QuerySet
from rest_framework import pagination

# Up to this many matching rows `count` is exact; past it, it is PostgreSQL's estimate.
EXACT_COUNT_LIMIT = 10_000


def bounded_count(queryset, limit: int) -> int:
    """How many rows `queryset` has: exact up to `limit`, else the planner's estimate (never
    below `limit` + 1), so a list of a chain's million visits costs no `COUNT(*)` over them.

    Off PostgreSQL (the embedded SQLite default, one clinic's data) the count is exact.
    """
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    queryset = queryset.order_by()
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count()
    counted = queryset[: limit + 1].count()
    if counted <= limit:
        return counted
    plan = queryset.explain(format="json")
    estimate = int(json.loads(plan)[0]["Plan"]["Plan Rows"])
    return max(estimate, counted)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's limit/offset; a `limit` past `max_limit` (even past bigint) is capped to it, and
    `count` is exact up to EXACT_COUNT_LIMIT rows and estimated past it."""

    max_limit = 500

    def get_count(self, queryset):
        return bounded_count(queryset, EXACT_COUNT_LIMIT)

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            f"How many match: exact up to {EXACT_COUNT_LIMIT:,}; past that, the database's "
            "estimate (more than that number)."
        )
        return described
