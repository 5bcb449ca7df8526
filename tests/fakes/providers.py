"""Local fake SMS (Twilio-shaped) and web-push servers, on 127.0.0.1 only.

The SMS fake honours ``Idempotency-Key`` as idempotent providers do: a repeated key returns
the first message's id and is not delivered twice. It can answer 429 with ``Retry-After`` for
the first N requests. The push fake accepts encrypted pushes and can answer 410 (gone).
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class FakeState:
    throttle_first: int = 0
    requests: int = 0
    accepted: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> message
    pushes: list[dict[str, Any]] = field(default_factory=list)
    push_gone: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: FakeState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            return

        def _reply(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            if self.path.startswith("/push/"):
                self._push(raw)
                return
            if not self.path.endswith("/Messages.json"):
                self._reply(404, {"message": "not found"})
                return
            with state.lock:
                state.requests += 1
                if state.requests <= state.throttle_first:
                    self._reply(429, {"message": "Too Many Requests"}, {"Retry-After": "1"})
                    return
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                key = self.headers.get("Idempotency-Key") or uuid.uuid4().hex
                if not any(ch.isdigit() for ch in form.get("To", "")):
                    self._reply(400, {"message": "The 'To' number is not a valid phone number."})
                    return
                message = state.accepted.get(key)
                if message is None:
                    message = {
                        "sid": f"SM{uuid.uuid4().hex}",
                        "to": form["To"],
                        "body": form.get("Body", ""),
                    }
                    state.accepted[key] = message
            self._reply(201, {"sid": message["sid"], "status": "queued"})

        def _push(self, raw: bytes) -> None:
            with state.lock:
                if self.path in state.push_gone:
                    self._reply(410, {"message": "gone"})
                    return
                state.pushes.append(
                    {
                        "path": self.path,
                        "bytes": len(raw),
                        "encoding": self.headers.get("Content-Encoding", ""),
                        "authorization": self.headers.get("Authorization", ""),
                    }
                )
            self.send_response(201)
            self.send_header("Location", f"{self.path}/messages/{uuid.uuid4().hex}")
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


class FakeProviders:
    """Start with ``with FakeProviders() as fake: fake.url ...``; stops by itself on exit."""

    def __init__(self, state: FakeState | None = None) -> None:
        self.state = state or FakeState()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeProviders:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
