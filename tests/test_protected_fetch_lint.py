"""Views, API endpoints and websocket consumers never fetch sensitive records directly.

They must go through the app's ``access.py`` (which answers 404 to outsiders and logs reads).
This test reads the source: a new ``SensitiveModel.objects`` in such a file fails it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "peerpath"
CHECKED_FILES = ("views.py", "api.py", "consumers.py")  # also staff_views.py and the like
SENSITIVE_MODELS = (
    "User",
    "Membership",
    "MemberProfile",
    "SupporterProfile",
    "ConsentRecord",
    "Invitation",
    "Match",
    "AuditEvent",
    "Booking",
    "Notification",
    "Delivery",
    "NotificationPreference",
    "PushSubscription",
    "CalendarFeed",
    "SavedSearch",
)
PATTERN = re.compile(rf"\b({'|'.join(SENSITIVE_MODELS)})\.objects\b")


def _violations(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if not path.name.endswith(CHECKED_FILES) and path.parent.name not in {"views", "api"}:
            continue
        if path.name.startswith("test_"):
            continue
        relative = path.relative_to(root)
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PATTERN.search(line):
                found.append(f"peerpath/{relative}:{number}: {line.strip()}")
    return found


def test_views_api_and_consumers_fetch_sensitive_records_only_through_access():
    assert _violations() == []


def test_the_lint_catches_a_direct_fetch(tmp_path):
    app = tmp_path / "example"
    app.mkdir()
    (app / "views.py").write_text("profile = MemberProfile.objects.get(pk=1)\n")
    (app / "staff_views.py").write_text("search = SavedSearch.objects.get(pk=1)\n")
    (app / "services.py").write_text("profile = MemberProfile.objects.get(pk=1)\n")
    (app / "test_views.py").write_text("profile = MemberProfile.objects.get(pk=1)\n")
    assert _violations(tmp_path) == [
        "peerpath/example/staff_views.py:1: search = SavedSearch.objects.get(pk=1)",
        "peerpath/example/views.py:1: profile = MemberProfile.objects.get(pk=1)",
    ]
