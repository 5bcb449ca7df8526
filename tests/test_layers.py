"""PeerPath's apps form layers: an app imports only the apps below it, so a new app plugs in on
top without anything below it changing, and nothing below can call back up.

Every ``import`` in PeerPath's code is checked, including imports inside functions. Imports
inside ``if TYPE_CHECKING:`` are for annotations only and never run, so they may name any app.
Tests, migrations and ``config`` (which wires everything together) are not checked.

Where a lower app has pages that need a higher layer (the audit log's search page needs
roles), those modules are declared in ``HIGHER_MODULES`` with the layer they sit in, and
nothing below that layer may import them. The order is recorded in docs/adr/0008-layers.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (
    "core",
    "audit",
    "accounts",
    "jobs",
    "notifications",
    "directory",
    "bookings",
    "safeguarding",
    "supervision",
    "buddying",
    "checkins",
)
# module (or package) -> the app whose layer it sits in
HIGHER_MODULES = {
    # The shell around every page: the Jinja environment and context show the charity's name.
    "peerpath.core.jinja": "accounts",
    "peerpath.core.context_processors": "accounts",
    # The audit log's own pages, its search and its sign-in recorder need people and roles.
    "peerpath.audit.access": "accounts",
    "peerpath.audit.views": "accounts",
    "peerpath.audit.urls": "accounts",
    "peerpath.audit.querysets": "accounts",
    "peerpath.audit.admin": "accounts",
    "peerpath.audit.staff_tools": "accounts",
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str, higher: dict[str, str] = HIGHER_MODULES) -> int | None:
    for prefix, app in higher.items():
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS.index(app)
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "peerpath" and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: -node.level]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.count(".") >= 1:
                found.append((node.lineno, target))
            else:  # "from peerpath import bookings" imports the app itself
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations(root: Path, higher: dict[str, str] = HIGHER_MODULES) -> list[str]:
    found = []
    for path in sorted((root / "peerpath").rglob("*.py")):
        relative = path.relative_to(root)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        module = _module_name(path, root)
        own = layer_of(module, higher)
        if own is None:
            continue
        for line, target in _imports(ast.parse(path.read_text(), str(path)), module):
            theirs = layer_of(target, higher)
            if theirs is not None and theirs > own:
                found.append(
                    f"{relative}:{line}: {module} ({LAYERS[own]}) imports {target} "
                    f"({LAYERS[theirs]})"
                )
    return sorted(set(found))


def test_no_app_imports_a_higher_layer():
    assert violations(ROOT) == []


def test_installed_apps_list_peerpath_apps_in_layer_order():
    ours = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("peerpath.")]
    assert ours == list(LAYERS)


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in (ROOT / "peerpath").glob("*/apps.py")}
    assert apps == set(LAYERS)


def _app(root: Path, name: str, files: dict[str, str]) -> None:
    package = root / "peerpath" / name
    package.mkdir(parents=True, exist_ok=True)
    for filename, text in files.items():
        (package / filename).write_text(text)


def test_the_layer_check_catches_imports_back_up_even_inside_functions(tmp_path):
    _app(
        tmp_path,
        "directory",
        {
            "services.py": "from peerpath.accounts.models import User\n",  # down: fine
            "access.py": "def f():\n    from peerpath.bookings.models import Booking\n",
            "views.py": "from peerpath.bookings import access\n",
            "alerts.py": "from ..bookings.services import booking_cancel\n",
            "hooks.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from peerpath.bookings.models import Booking\n"
            ),
        },
    )
    _app(tmp_path, "core", {"jinja.py": "import peerpath.accounts.site\n"})
    _app(tmp_path, "audit", {"views.py": "from peerpath.accounts.access import can_view_audit\n"})
    _app(tmp_path, "accounts", {"models.py": "from peerpath.audit.views import search\n"})
    _app(tmp_path, "audit", {"services.py": "from peerpath.audit.views import search\n"})
    _app(tmp_path, "bookings", {"models.py": ""})
    (tmp_path / "peerpath" / "buddying").mkdir()
    (tmp_path / "peerpath" / "buddying" / "views.py").write_text("from peerpath import bookings\n")
    (tmp_path / "peerpath" / "safeguarding").mkdir()
    (tmp_path / "peerpath" / "safeguarding" / "views.py").write_text(
        "from peerpath import buddying\n"
    )
    # accounts may use the audit pages (they sit in its layer); audit's recorder may not.
    assert violations(tmp_path, higher={"peerpath.audit.views": "accounts"}) == [
        "peerpath/audit/services.py:1: peerpath.audit.services (audit) imports "
        "peerpath.audit.views (accounts)",
        "peerpath/core/jinja.py:1: peerpath.core.jinja (core) imports peerpath.accounts.site "
        "(accounts)",
        "peerpath/directory/access.py:2: peerpath.directory.access (directory) imports "
        "peerpath.bookings.models (bookings)",
        "peerpath/directory/alerts.py:1: peerpath.directory.alerts (directory) imports "
        "peerpath.bookings.services (bookings)",
        "peerpath/directory/views.py:1: peerpath.directory.views (directory) imports "
        "peerpath.bookings (bookings)",
        "peerpath/safeguarding/views.py:1: peerpath.safeguarding.views (safeguarding) imports "
        "peerpath.buddying (buddying)",
    ]
