"""A partner's webhook receiver, written the way a partner would from the Standard Webhooks
specification, with no msap code: a local HTTP server (a thread with http.server) that verifies
each signature, refuses a replay outside the 5-minute window and processes each id once."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


class Refused(Exception):
    pass


def verify(secret: str, headers, body: bytes, now: float | None = None) -> dict:
    """Check a delivery; return its JSON, or raise Refused (bad signature, or a replay)."""
    try:
        msg_id = headers["webhook-id"]
        timestamp = headers["webhook-timestamp"]
        signatures = headers["webhook-signature"]
    except KeyError as exc:
        raise Refused(f"missing header {exc}") from None
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise Refused("timestamp outside the tolerance: a replay")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return json.loads(body)
    raise Refused("no valid signature")


class Receiver:
    """Answers with the scripted status codes in turn (then 200), records every request,
    and processes (verifies, then dedups by webhook-id) the ones it answers 2xx."""

    def __init__(self, secret: str = "", statuses=()):
        self.secret = secret
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        self.processed: dict[str, dict] = {}
        self.duplicates = 0
        self.refused: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                code = receiver.handle(headers, body)
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code < 300 else b"nope")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/msap"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, headers: dict, body: bytes) -> int:
        with self.lock:
            self.requests.append((headers, body))
            if self.statuses:
                status = self.statuses.pop(0)
                if status >= 300:
                    return status
            try:
                payload = verify(self.secret, headers, body)
            except Refused as exc:
                self.refused.append(str(exc))
                return 401
            if headers["webhook-id"] in self.processed:
                self.duplicates += 1  # already handled: acknowledge, do nothing
            else:
                self.processed[headers["webhook-id"]] = payload
            return 200

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
