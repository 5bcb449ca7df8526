"""The links and panels on the staff home page, contributed by each app's ``staff_tools.py``.

A link is shown for each organisation where the person passes its capability check (a
function from the owning app's ``access.py``); a panel is a block of its own (for example this
week's registers) that the app renders from its own template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from peerpath.accounts.models import Organisation, User


@dataclass(frozen=True)
class StaffLink:
    label: str | Promise
    url_name: str  # reversed with the organisation's slug unless ``site_wide``
    allowed: Callable[[User, Organisation], bool]
    order: int
    site_wide: bool = False


@dataclass(frozen=True)
class StaffPanel:
    template: str  # included with the panel's context
    context: Callable[[User], Mapping[str, Any] | None]  # None: nothing to show her
    order: int


_LINKS: list[StaffLink] = []
# Links on a member's staff page (e.g. "Raise a safeguarding alert"), reversed with her
# membership's public id (``site_wide`` does not apply).
_MEMBER_LINKS: list[StaffLink] = []
_PANELS: list[StaffPanel] = []


def register_link(link: StaffLink) -> StaffLink:
    if link not in _LINKS:
        _LINKS.append(link)
    return link


def register_panel(panel: StaffPanel) -> StaffPanel:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def _allowed(links: list[StaffLink], user: User, organisation: Organisation) -> list[StaffLink]:
    return [
        link
        for link in sorted(links, key=lambda item: item.order)
        if link.allowed(user, organisation)
    ]


def links_for(user: User, organisation: Organisation) -> list[StaffLink]:
    return _allowed(_LINKS, user, organisation)


def panels_for(user: User) -> list[tuple[StaffPanel, Mapping[str, Any]]]:
    shown = []
    for panel in sorted(_PANELS, key=lambda item: item.order):
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown


def register_member_link(link: StaffLink) -> StaffLink:
    if link not in _MEMBER_LINKS:
        _MEMBER_LINKS.append(link)
    return link


def member_links_for(user: User, organisation: Organisation) -> list[StaffLink]:
    return _allowed(_MEMBER_LINKS, user, organisation)
