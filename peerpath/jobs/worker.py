"""The worker loop: reap expired leases, claim due jobs, run them, sleep when idle."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from dataclasses import dataclass, field
from types import FrameType

from django.db import close_old_connections

from peerpath.core import clock
from peerpath.jobs.outbox import reap_expired
from peerpath.jobs.registry import outboxes
from peerpath.jobs.services import (
    job_run,
    jobs_claim,
    jobs_reap_expired_leases,
    schedules_enqueue_due,
)

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Worker:
    poll_seconds: float
    lease_seconds: int
    batch_size: int = 10
    delivery_batch_size: int = 500
    worker_id: str = field(default_factory=new_worker_id)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Finish the job in hand, then leave. Unfinished claims return after their lease."""
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run_once(self) -> int:
        """One pass: reap, claim a batch of jobs and run it, then each outbox's batch.

        Returns how many rows were claimed.
        """
        close_old_connections()
        jobs_reap_expired_leases()
        schedules_enqueue_due()
        jobs = jobs_claim(
            worker_id=self.worker_id, limit=self.batch_size, lease_seconds=self.lease_seconds
        )
        for job in jobs:
            if self._stopping.is_set():
                break
            job_run(job=job, worker_id=self.worker_id)
        sent = 0
        for outbox in outboxes():
            if self._stopping.is_set():
                break
            reap_expired(outbox.model, now=clock.now())
            sent += outbox.dispatch(
                worker_id=self.worker_id,
                limit=self.delivery_batch_size,
                lease_seconds=self.lease_seconds,
            )
        return len(jobs) + sent

    def run(self, *, until_idle: bool = False) -> None:
        logger.info("Worker %s started", self.worker_id)
        while not self._stopping.is_set():
            ran = self.run_once()
            if ran == 0:
                if until_idle:
                    break
                self._stopping.wait(self.poll_seconds)
        logger.info("Worker %s stopped", self.worker_id)
