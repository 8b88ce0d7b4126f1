"""The load benchmark's additions, loaded only through bench/settings.py: the app's URLs plus a
bare view, and a middleware timing each request inside Django and in SQL."""

import time

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


@login_required
def bare(request):
    """What a page costs at the least: the same server, middleware and login, no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", bare, name="bench-ok"), path("", include("clinic.urls"))]


class Timing:
    """Adds X-Bench-Django-Ms, X-Bench-Sql-Ms and X-Bench-Queries to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sql = [0.0, 0]

        def timed(execute, statement, params, many, context):
            started = time.perf_counter()
            try:
                return execute(statement, params, many, context)
            finally:
                sql[0] += time.perf_counter() - started
                sql[1] += 1

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        response["X-Bench-Django-Ms"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        response["X-Bench-Sql-Ms"] = f"{sql[0] * 1000:.2f}"
        response["X-Bench-Queries"] = str(sql[1])
        return response
