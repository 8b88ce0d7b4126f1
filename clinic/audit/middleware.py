"""Names the request's user and URL in the history of every row it changes (django-pghistory)."""

from pghistory.middleware import HistoryMiddleware as PghistoryMiddleware

from .history import tracked


class HistoryMiddleware(PghistoryMiddleware):
    """pghistory's middleware, skipped on SQLite: it has no triggers to read the context, and
    the SQL that sets the context would fail there."""

    def __call__(self, request):
        if not tracked():
            return self.get_response(request)
        return super().__call__(request)
