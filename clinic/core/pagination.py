"""The API's one pagination: limit/offset, with a largest page so no limit reaches SQL unbounded."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's limit/offset; a `limit` past `max_limit` (even past bigint) is capped to it."""

    max_limit = 500
