"""A small local fake of the Stripe endpoints Tranquil calls, for the real `stripe` library.

It answers like Stripe (form-encoded in, JSON out): customers, Checkout Sessions (create and
retrieve, with `expand`), SetupIntents, PaymentMethods, PaymentIntents (off-session on a saved
card) and refunds. It keeps Stripe's idempotency (a repeated Idempotency-Key answers the first
response) and records each request for the tests to read. Its hosted page (GET /pay/<session>)
stands in for Stripe Checkout: a button completes the session, sends the app signed webhooks
(when `webhook_url` is set: `setup_intent.succeeded` for a saved card, then
`checkout.session.completed`) and redirects to success_url.

Test cards as Stripe's: 4242 saves and charges; 0341 saves but every charge on it is declined
(its payment method is `pm_card_chargeDeclined`, also usable directly).
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qs, urlsplit

DECLINED = "pm_card_chargeDeclined"
CARDS = {
    "4242": {"id": "pm_card_visa", "brand": "visa", "last4": "4242"},
    "0341": {"id": DECLINED, "brand": "visa", "last4": "0341"},
}
PAGE = """<!doctype html><html lang="en"><head><title>Fake Stripe Checkout</title></head>
<body><main><h1>Fake Stripe Checkout</h1><p>{what}</p>
<form method="post">{buttons}</form><p><a href="{cancel}">Back</a></p></main></body></html>"""


def signature(body: str, secret: str) -> str:
    """A Stripe-Signature header as Stripe makes it (HMAC-SHA256 of "t.body")."""
    at = int(time.time())
    mac = hmac.new(secret.encode(), f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def _error(status, message, kind="invalid_request_error", code=None):
    return status, {"error": {"type": kind, "code": code, "message": message}}


def _metadata(form, prefix):
    return {k[len(prefix) : -1]: v for k, v in form.items() if k.startswith(prefix)}


class FakeStripe:
    def __init__(self, webhook_url: str = "", webhook_secret: str = ""):
        self.requests: list[dict] = []
        self.answers: dict[str, tuple[int, dict]] = {}
        self.sessions: dict[str, dict] = {}
        self.setup_intents: dict[str, dict] = {}
        self.events: list[dict] = []
        self.charges = 0
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self._ids = count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                expand = [v for k, vs in parse_qs(parts.query).items() if "expand" in k for v in vs]
                fake.requests.append({"path": parts.path, "method": "GET", "expand": expand})
                if parts.path.startswith("/pay/"):
                    status, html = fake.hosted_page(parts.path.removeprefix("/pay/"))
                    return self._send(status, html.encode(), "text/html; charset=utf-8")
                self._send(*fake.read(parts.path, expand))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path.startswith("/pay/"):
                    to = fake.complete(self.path.removeprefix("/pay/"), form.get("card", "4242"))
                    return self._send(303, b"", "text/plain", [("Location", to)])
                key = self.headers.get("Idempotency-Key", "")
                fake.requests.append({"path": self.path, "key": key, "form": form})
                if key and key in fake.answers:
                    status, body = fake.answers[key]
                else:
                    status, body = fake.answer(self.path, form)
                    fake.answers[key] = (status, body)
                self._send(status, body)

        return Handler

    def _id(self, prefix):
        return f"{prefix}_fake_{next(self._ids)}"

    def answer(self, path, form):
        if path == "/v1/customers":
            return 200, {"id": self._id("cus"), "object": "customer", "email": form.get("email")}
        if path == "/v1/checkout/sessions":
            return 200, self._new_session(form)
        if path == "/v1/payment_intents":
            return self._payment_intent(form)
        if path == "/v1/refunds":
            return 200, {
                "id": f"re_fake_{len(self.answers)}",
                "object": "refund",
                "amount": int(form["amount"]),
                "status": "succeeded",
            }
        return _error(404, "No such route.")

    def _payment_intent(self, form):
        if form.get("payment_method") == DECLINED:
            return _error(402, "Your card was declined.", "card_error", "card_declined")
        self.charges += 1
        return 200, {
            "id": f"pi_fake_{self.charges}",
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "currency": form["currency"],
            "customer": form.get("customer"),
            "payment_method": form.get("payment_method"),
            "status": "succeeded",
        }

    def _new_session(self, form):
        session_id = self._id("cs")
        amount = form.get("line_items[0][price_data][unit_amount]")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": form["mode"],
            "status": "open",
            "payment_status": "unpaid" if form["mode"] == "payment" else "no_payment_required",
            "url": f"{self.url}/pay/{session_id}",
            "customer": form.get("customer"),
            "client_reference_id": form.get("client_reference_id"),
            "metadata": _metadata(form, "metadata["),
            "setup_intent_metadata": _metadata(form, "setup_intent_data[metadata]["),
            "success_url": form["success_url"],
            "cancel_url": form.get("cancel_url"),
            "amount_total": int(amount) if amount else None,
            "currency": form.get("line_items[0][price_data][currency]") or form.get("currency"),
            "setup_intent": None,
            "payment_intent": None,
        }
        self.sessions[session_id] = session
        return session

    def _card(self, card_id):
        card = next((c for c in CARDS.values() if c["id"] == card_id), None)
        if card is None:
            return None
        return {
            "id": card["id"],
            "object": "payment_method",
            "type": "card",
            "card": {
                "brand": card["brand"],
                "last4": card["last4"],
                "exp_month": 12,
                "exp_year": 2034,
            },
        }

    def _setup_intent(self, intent_id, expand):
        intent = dict(self.setup_intents[intent_id])
        if "payment_method" in expand:
            intent["payment_method"] = self._card(intent["payment_method"])
        return intent

    def read(self, path, expand):
        kind, _, object_id = path.removeprefix("/v1/").rpartition("/")
        if kind == "checkout/sessions" and object_id in self.sessions:
            session = dict(self.sessions[object_id])
            if "setup_intent.payment_method" in expand and session["setup_intent"]:
                session["setup_intent"] = self._setup_intent(
                    session["setup_intent"], ["payment_method"]
                )
            return 200, session
        if kind == "setup_intents" and object_id in self.setup_intents:
            return 200, self._setup_intent(object_id, [e.split(".")[-1] for e in expand])
        if kind == "payment_methods" and self._card(object_id):
            return 200, self._card(object_id)
        return _error(404, f"No such {kind}: {object_id}")

    def hosted_page(self, session_id):
        session = self.sessions.get(session_id)
        if session is None or session["status"] != "open":
            return 404, "<!doctype html><title>Gone</title><p>This checkout is over.</p>"
        if session["mode"] == "setup":
            what = "Save a card for future payments."
            buttons = "".join(
                f'<button name="card" value="{n}">Save card ending {n}</button>' for n in CARDS
            )
        else:
            what = f"Pay {session['amount_total'] / 100:.2f} {session['currency'].upper()}."
            buttons = '<button name="card" value="4242">Pay with card ending 4242</button>'
        return 200, PAGE.format(what=what, buttons=buttons, cancel=session["cancel_url"])

    def complete(self, session_id, card_number):
        """The client pressed the hosted page's button: the session completes like Stripe's."""
        session = self.sessions[session_id]
        card = CARDS.get(card_number, CARDS["4242"])
        if session["mode"] == "setup":
            intent_id = self._id("seti")
            self.setup_intents[intent_id] = {
                "id": intent_id,
                "object": "setup_intent",
                "status": "succeeded",
                "customer": session["customer"],
                "payment_method": card["id"],
                "metadata": session["setup_intent_metadata"],
            }
            session.update(setup_intent=intent_id)
            self.send_event("setup_intent.succeeded", self.setup_intents[intent_id])
        else:
            self.charges += 1
            session.update(payment_intent=f"pi_fake_{self.charges}", payment_status="paid")
        session["status"] = "complete"
        self.send_event("checkout.session.completed", session)
        return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    def send_event(self, kind, obj):
        """Keep the event, and post it signed to the app when it has a webhook URL here."""
        event = {"id": self._id("evt"), "object": "event", "type": kind, "data": {"object": obj}}
        self.events.append(event)
        if self.webhook_url:
            body = json.dumps(event)
            request = urllib.request.Request(
                self.webhook_url,
                data=body.encode(),
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": signature(body, self.webhook_secret),
                },
            )
            urllib.request.urlopen(request, timeout=10).close()
        return event

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
