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
