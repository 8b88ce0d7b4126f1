"""Docker health check: GET /health/ as the proxy would send it (first allowed host, https)."""

import http.client
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
connection.request("GET", "/health/", headers={"Host": host, "X-Forwarded-Proto": "https"})
sys.exit(0 if connection.getresponse().status == 200 else 1)
