"""Production settings plus what the load benchmark (bench/load.py) needs and nothing else.

A bare `login_required` view answering "ok" (the yardstick every page is measured against) and
a middleware that reports each response's time inside Django and in SQL, both from bench/web.py.
The app's own settings and URLs are untouched: only the benchmark's gunicorn loads this module.
"""

from clinic.settings import *  # noqa: F403
from clinic.settings import MIDDLEWARE

ROOT_URLCONF = "bench.web"
# Outermost, so its time covers every other middleware, as the server sees the request.
MIDDLEWARE = ["bench.web.Timing", *MIDDLEWARE]
# Eight users from one loopback address would trip the per-address limits within seconds: the
# benchmark measures the pages, not the limits (an empty rate turns a group off).
RATE_LIMITS = {group: "" for group in RATE_LIMITS}  # noqa: F405
# Its sessions are made without a second factor (the sign-in step is not what it measures).
TWO_FACTOR_REQUIRED = False
