"""Names the request's user and URL in the history of every row it changes (django-pghistory)."""

import contextlib

from django.urls import Resolver404, resolve
from pghistory.middleware import HistoryMiddleware as PghistoryMiddleware

from .history import tracked


class HistoryMiddleware(PghistoryMiddleware):
    """pghistory's middleware, skipped on SQLite: it has no triggers to read the context, and
    the SQL that sets the context would fail there."""

    def get_context(self, request):
        context = super().get_context(request)
        # The route, not the path: reminder and intake links carry signed tokens, which the
        # history must not keep.
        with contextlib.suppress(Resolver404):
            context["url"] = "/" + resolve(request.path_info).route
        return context

    def __call__(self, request):
        if not tracked():
            return self.get_response(request)
        return super().__call__(request)
