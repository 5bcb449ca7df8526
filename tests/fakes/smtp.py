"""A local SMTP server that keeps what it is sent, for runs that use Django's real SMTP
backend. Loopback only; speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT) for Django's ``smtplib`` client without TLS."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["Subject"]) for message in self.messages]


class _Handler(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode("ascii"))

    def handle(self) -> None:
        self._say("220 fake-smtp ready")
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._say("250-fake-smtp")
                self._say("250 8BITMIME")
            elif verb in {"HELO", "MAIL", "RCPT", "RSET", "NOOP"}:
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                self._data()
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 Command not implemented")

    def _data(self) -> None:
        lines: list[bytes] = []
        while True:
            line = self.rfile.readline(1_000_000)
            if not line or line in {b".\r\n", b".\n"}:
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        message = message_from_bytes(b"".join(lines), policy=policy.default)
        with self.mailbox.lock:
            self.mailbox.messages.append(message)
        self._say("250 OK: queued")


class FakeSmtp:
    """``with FakeSmtp() as smtp: ... smtp.port ... smtp.mailbox.subjects()``"""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        handler = type("Handler", (_Handler,), {"mailbox": self.mailbox})
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])

    def __enter__(self) -> FakeSmtp:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
