"""Views, API endpoints and websocket consumers never fetch sensitive records directly.

They must go through the app's ``access.py`` (which answers 404 to outsiders and logs reads).
A model is sensitive when it is marked with ``peerpath.core.models.Sensitive``; this test reads
the source of every views, API and consumers module and fails on:
- ``SensitiveModel.objects`` (and ``_default_manager``);
- ``get_object_or_404(SensitiveModel, ...)`` and ``get_list_or_404(SensitiveModel, ...)``;
- a reverse relation that reaches sensitive rows from another object, such as
  ``request.user.bookings`` or ``service.facilitators``: these names come from the models.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import models

from peerpath.core.models import Sensitive

ROOT = Path(__file__).resolve().parent.parent / "peerpath"
CHECKED_FILES = ("views.py", "api.py", "consumers.py")  # also staff_views.py and the like


def sensitive_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, Sensitive)]


def relation_names(sensitive: list[type[models.Model]]) -> set[str]:
    """Accessor names that lead to rows of a sensitive model from some other model."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or related not in sensitive:
                continue
            if field.one_to_one:  # a profile is part of the record it extends
                continue
            if field.auto_created and not field.concrete:  # reverse side: user.bookings
                name = field.get_accessor_name()  # type: ignore[union-attr]
            elif field.many_to_many:  # forward many-to-many: service.facilitators
                name = field.name
            else:
                continue
            if name and not name.endswith("+"):
                names.add(name)
    return names


def patterns(names: list[str], relations: set[str]) -> list[re.Pattern[str]]:
    joined = "|".join(sorted(names))
    found = [
        re.compile(rf"\b({joined})\.(objects|_default_manager)\b"),
        re.compile(rf"\bget_(object|list)_or_404\(\s*({joined})\b"),
    ]
    if relations:
        found.append(re.compile(rf"\.({'|'.join(sorted(relations))})\b(?!\s*=)"))
    return found


def _violations(root: Path, checks: list[re.Pattern[str]]) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if not path.name.endswith(CHECKED_FILES) and path.parent.name not in {"views", "api"}:
            continue
        if path.name.startswith("test_"):
            continue
        relative = path.relative_to(root)
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if code.lstrip().startswith(("from ", "import ")):
                continue  # "from peerpath.bookings import ..." names an app, not a relation
            if any(check.search(code) for check in checks):
                found.append(f"peerpath/{relative}:{number}: {line.strip()}")
    return found


def _checks() -> list[re.Pattern[str]]:
    sensitive = sensitive_models()
    return patterns([model.__name__ for model in sensitive], relation_names(sensitive))


def test_the_sensitive_models_are_the_ones_about_a_person():
    names = {model._meta.label for model in sensitive_models()}
    assert {
        "accounts.User",
        "accounts.MemberProfile",
        "accounts.ConsentRecord",
        "audit.AuditEvent",
        "buddying.Match",
    } <= names
    assert "directory.Service" not in names  # the public directory is not about a person


def test_views_api_and_consumers_fetch_sensitive_records_only_through_access():
    assert _violations(ROOT, _checks()) == []


def test_the_lint_catches_a_direct_fetch_a_shortcut_and_a_reverse_relation(tmp_path):
    app = tmp_path / "example"
    app.mkdir()
    (app / "views.py").write_text(
        "profile = MemberProfile.objects.get(pk=1)\n"
        "match = get_object_or_404(Match, public_id=x)\n"
        "mine = request.user.memberships.all()\n"
        "fine = get_object_or_404(Service, public_id=x)  # a public listing\n"
        "# MemberProfile.objects in a comment is not code\n"
        "from peerpath.accounts import memberships\n"
    )
    (app / "staff_views.py").write_text("event = AuditEvent._default_manager.first()\n")
    (app / "services.py").write_text("profile = MemberProfile.objects.get(pk=1)\n")
    (app / "test_views.py").write_text("profile = MemberProfile.objects.get(pk=1)\n")
    assert _violations(tmp_path, _checks()) == [
        "peerpath/example/staff_views.py:1: event = AuditEvent._default_manager.first()",
        "peerpath/example/views.py:1: profile = MemberProfile.objects.get(pk=1)",
        "peerpath/example/views.py:2: match = get_object_or_404(Match, public_id=x)",
        "peerpath/example/views.py:3: mine = request.user.memberships.all()",
    ]
