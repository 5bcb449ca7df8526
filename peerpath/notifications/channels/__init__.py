"""How a notification leaves PeerPath: small adapters per channel, chosen in settings."""

from __future__ import annotations


class ChannelRetryLater(Exception):  # noqa: N818 - an instruction: try again later
    """The provider asked us to wait (HTTP 429): not a failure, no attempt used."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"provider asked to wait {seconds} s")
        self.seconds = seconds


class ChannelRejectedError(Exception):
    """The provider refused this message for good (bad number, unknown endpoint)."""
