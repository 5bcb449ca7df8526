"""The one place PeerPath asks what time it is.

Code calls ``clock.now()`` (aware, UTC) or ``clock.local_now()`` / ``clock.today()`` (in the
installation's time zone) instead of ``datetime.now()``. Tests move time with ``time-machine``
(``time_machine.travel``), which this module honours because it reads the real clock each call.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, timezone-aware, in UTC."""
    return timezone.now()


def local_now() -> dt.datetime:
    """The current moment in the installation's time zone (Europe/London by default)."""
    return timezone.localtime(now())


def today() -> dt.date:
    """Today's date where the charity is, not in UTC (they differ after 11pm in summer)."""
    return local_now().date()
