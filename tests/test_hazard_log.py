"""Every test the hazard log names as a control exists: a renamed or deleted test cannot leave
a hazard claiming a control nobody runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
NAMED = re.compile(r"`(?:(?P<path>[\w/]+\.py)(?:::(?P<qualified>\w+))?|(?P<bare>test_\w+))`")


def _defined_tests() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("peerpath/**/tests/*.py"), *ROOT.glob("tests/**/*.py")]:
        names = set(re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.MULTILINE))
        found[str(path.relative_to(ROOT))] = names
    return found


def test_every_test_the_hazard_log_names_exists():
    defined = _defined_tests()
    everywhere = set().union(*defined.values())
    missing = []
    for match in NAMED.finditer(LOG.read_text()):
        path, qualified, bare = match.group("path", "qualified", "bare")
        if bare:
            if bare not in everywhere:
                missing.append(bare)
            continue
        # A short name ("test_flow.py") refers to the file named in full earlier in the row.
        files = [f for f in defined if f == path or f.endswith(f"/{path}")]
        if not files:
            missing.append(path)
        elif qualified and not any(qualified in defined[f] for f in files):
            missing.append(f"{path}::{qualified}")
    assert missing == []


def test_the_check_finds_a_test_that_does_not_exist(tmp_path):
    assert NAMED.search("`tests/test_x.py::test_gone`").group("qualified") == "test_gone"
    assert NAMED.search("`test_gone_too`").group("bare") == "test_gone_too"
    assert "test_gone_too" not in set().union(*_defined_tests().values())
