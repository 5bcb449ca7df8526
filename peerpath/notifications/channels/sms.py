"""SMS adapters. Settings: ``SMS_BACKEND`` (a dotted path) and the provider's own settings.

Every adapter takes an idempotency key: a delivery resent after a worker crash carries the same
key, so a provider that honours keys accepts it once.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from peerpath.core import clock
from peerpath.notifications.channels import ChannelRejectedError, ChannelRetryLater

DEFAULT_RETRY_AFTER_SECONDS = 30
TIMEOUT_SECONDS = 10


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        """Send one text; return the provider's message id."""


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


class FileSmsBackend:
    """Development: appends each text to ``var/sms/outbox.log`` instead of sending it."""

    _lock = threading.Lock()

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = f"{clock.now().isoformat()}\t{to}\t{idempotency_key}\t{body}\n"
        with self._lock, (folder / "outbox.log").open("a", encoding="utf-8") as outbox:
            outbox.write(line)
        return f"file-{idempotency_key}"


class ConsoleSmsBackend:
    """Writes each text to standard output (a worker's log in development; benchmarks)."""

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        sys.stdout.write(f"SMS to {to[-4:].rjust(len(to), '*')} ({idempotency_key}): {body}\n")
        return f"console-{idempotency_key}"


@dataclass
class SentText:
    to: str
    body: str
    idempotency_key: str


class MemorySmsBackend:
    """Tests: keeps texts in ``MemorySmsBackend.outbox``."""

    outbox: list[SentText] = []

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        self.outbox.append(SentText(to=to, body=body, idempotency_key=idempotency_key))
        return f"memory-{len(self.outbox)}"


class TwilioSmsBackend:
    """Twilio's Messages API (``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM``).

    ``TWILIO_API_BASE`` points tests at a local fake server. A 429 answer becomes
    ``ChannelRetryLater`` honouring ``Retry-After``; other 4xx answers are permanent; 5xx and
    network errors raise and are retried with back-off.
    """

    def __init__(self) -> None:
        self.base = settings.TWILIO_API_BASE.rstrip("/")
        self.account = settings.TWILIO_ACCOUNT_SID
        self.token = settings.TWILIO_AUTH_TOKEN
        self.sender = settings.TWILIO_FROM
        self.session = requests.Session()

    def send(self, *, to: str, body: str, idempotency_key: str) -> str:
        response = self.session.post(
            f"{self.base}/2010-04-01/Accounts/{self.account}/Messages.json",
            data={"To": to, "From": self.sender, "Body": body},
            auth=(self.account, self.token),
            headers={"Idempotency-Key": idempotency_key},
            timeout=TIMEOUT_SECONDS,
        )
        if response.status_code == 429:  # noqa: PLR2004
            raise ChannelRetryLater(_retry_after(response.headers.get("Retry-After")))
        if 400 <= response.status_code < 500:  # noqa: PLR2004
            raise ChannelRejectedError(f"HTTP {response.status_code}")
        response.raise_for_status()
        return str(response.json()["sid"])


def _retry_after(value: str | None) -> float:
    try:
        return max(float(value or DEFAULT_RETRY_AFTER_SECONDS), 1.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER_SECONDS
