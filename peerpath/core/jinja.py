"""The Jinja2 environment: project templates first, then the nhsuk-frontend-jinja macros."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)

from peerpath.accounts.site import site_identity
from peerpath.core.form_fields import error_list, field_params


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _app_template_dirs() -> list[Path]:
    """Each PeerPath app keeps its templates in ``<app>/templates/<app>/``."""
    return [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("peerpath.") and (Path(config.path) / "templates").is_dir()
    ]


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            loader,
            FileSystemLoader(_app_template_dirs()),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
    # The NHS.UK macros read optional nested parameters, which needs ChainableUndefined.
    options["undefined"] = ChainableUndefined
    # Escape everything except plain-text email bodies (*.txt).
    options["autoescape"] = select_autoescape(disabled_extensions=("txt",), default=True)
    options.setdefault("extensions", []).extend(["jinja2.ext.i18n", "jinja2.ext.do"])
    env = Environment(**options)  # noqa: S701  (Django's backend sets autoescape=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_current_language": translation.get_language,
            "asset_version": settings.NHSUK_FRONTEND_VERSION,
            "field_params": field_params,
            "site_identity": site_identity,
            "error_list": error_list,
        }
    )
    env.filters["date"] = date_format
    env.filters["localtime"] = timezone.localtime
    return env
