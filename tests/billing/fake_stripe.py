"""A small local fake of the Stripe endpoints the gateway calls, for the real `stripe` library.

It answers POST /v1/payment_intents and /v1/refunds like Stripe (form-encoded in, JSON out),
keeps Stripe's idempotency (a repeated Idempotency-Key answers the first response), declines
the test card `pm_card_chargeDeclined`, and records each request for the tests to read.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

DECLINED = "pm_card_chargeDeclined"


class FakeStripe:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: dict[str, tuple[int, dict]] = {}
        self.charges = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                key = self.headers.get("Idempotency-Key", "")
                fake.requests.append({"path": self.path, "key": key, "form": form})
                if key and key in fake.answers:
                    status, body = fake.answers[key]
                else:
                    status, body = fake.answer(self.path, form)
                    fake.answers[key] = (status, body)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path, form):
        if path == "/v1/payment_intents":
            if form.get("payment_method") == DECLINED:
                error = {
                    "type": "card_error",
                    "code": "card_declined",
                    "message": "Your card was declined.",
                }
                return 402, {"error": error}
            self.charges += 1
            return 200, {
                "id": f"pi_fake_{self.charges}",
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "currency": form["currency"],
                "status": "succeeded",
            }
        if path == "/v1/refunds":
            return 200, {
                "id": f"re_fake_{len(self.answers)}",
                "object": "refund",
                "amount": int(form["amount"]),
                "status": "succeeded",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "No such route."}}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
