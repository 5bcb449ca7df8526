""" "Tell me when something starts": saved searches, checked whenever listings change.

A saved search remembers the services that matched when she saved it, so she is only told
about groups and sessions that are new to her. Checks run in the worker: after any change to
listings or sessions (``listings_changed``) and every hour in any case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from peerpath.accounts.models import User
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record
from peerpath.core import clock
from peerpath.core.actors import Actor
from peerpath.directory import querysets
from peerpath.directory.forms import SearchForm
from peerpath.directory.models import SavedSearch, Service
from peerpath.directory.purposes import NEW_GROUP
from peerpath.jobs.registry import periodic
from peerpath.jobs.services import job_enqueue
from peerpath.notifications.services import notify

CHECK_TASK = "directory.saved_searches_check"
# Keys that describe what she is looking for; paging and the like are not kept.
KEPT_KEYS = tuple(SearchForm.base_fields)
MAX_SAVED_SEARCHES = 10
QUERY_MAX_LENGTH = SavedSearch.QUERY_MAX_LENGTH
DESCRIPTION_MAX_LENGTH = SavedSearch.DESCRIPTION_MAX_LENGTH
logger = logging.getLogger(__name__)


class SavedSearchError(Exception):
    pass


def search_filters(query: str) -> dict[str, Any] | None:
    """The filters of a saved query string, looking four weeks ahead whatever it said.

    None when the search no longer makes sense (its town has gone from the directory, its
    postcode can no longer be found): it is then not run at all, rather than run without the
    filter that failed and match everything everywhere.
    """
    form = SearchForm(QueryDict(query), areas=querysets.areas())
    if not form.is_valid():
        return None
    filters = dict(form.cleaned_data)
    filters["when"] = "four_weeks"
    return filters


def matching_service_ids(query: str) -> set[int] | None:
    filters = search_filters(query)
    if filters is None:
        return None
    results, anytime = querysets.search(filters)
    return {result.service.pk for result in results} | {service.pk for service in anytime}


def clean_query(data: QueryDict) -> str:
    """The search's query string with only the filters that were set, each once, in a stable
    order. Her location ("use my location") is never kept."""
    kept = {
        (key, value)
        for key in KEPT_KEYS
        if key not in ("when", "lat", "lng")
        for value in data.getlist(key)
        if value
    }
    return urlencode(sorted(kept))


def describe(form: SearchForm) -> str:
    """A plain sentence for her list: "Near EX4 3SR, within 5 miles; for pregnant"."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    parts: list[str] = []
    if data.get("postcode"):
        parts.append(
            _("Near %(postcode)s, within %(miles)s miles")
            % {"postcode": data["postcode"], "miles": data.get("distance") or "5"}
        )
    elif data.get("where"):
        field_choices = dict(form.fields["where"].choices)  # type: ignore[attr-defined]
        parts.append(str(field_choices.get(data["where"], data["where"])))
    else:
        parts.append(_("Anywhere"))
    for name in ("stage", "kinds", "family", "days", "times", "language"):
        value = data.get(name)
        if not value:
            continue
        labels = dict(form.fields[name].choices)  # type: ignore[attr-defined]
        values = value if isinstance(value, list) else [value]
        parts.append(", ".join(str(labels.get(item, item)) for item in values))
    if data.get("free"):
        parts.append(_("free only"))
    return "; ".join(parts)


@transaction.atomic
def saved_search_create(*, user: User, data: QueryDict) -> SavedSearch:
    """Keep her search. What matches today is remembered, so only new things are sent."""
    form = SearchForm(data, areas=querysets.areas())
    if not form.is_valid():
        raise SavedSearchError(_("Correct the search first, then ask us to tell you."))
    if form.near_location:
        raise SavedSearchError(
            _("We do not keep your location. Type your postcode or choose a town instead.")
        )
    query = clean_query(data)
    if len(query) > QUERY_MAX_LENGTH:
        raise SavedSearchError(_("This search has too many choices to keep. Choose fewer."))
    digest = SavedSearch.digest(query)
    existing = SavedSearch.objects.filter(user=user, query_digest=digest).first()
    if existing is not None:
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise SavedSearchError(
            _("You can keep up to %(count)s searches. Stop one to add another.")
            % {"count": MAX_SAVED_SEARCHES}
        )
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(
                user=user,
                query=query,
                query_digest=digest,
                description=_shorten(describe(form)),
            )
    except IntegrityError:
        return SavedSearch.objects.get(user=user, query_digest=digest)
    saved.told_about.set(matching_service_ids(query) or set())
    audit_record(actor=user, action=Action.CREATE, obj=saved, fields=["query"])
    return saved


def _shorten(text: str, limit: int = DESCRIPTION_MAX_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


@transaction.atomic
def saved_search_delete(*, actor: Actor, saved: SavedSearch) -> None:
    audit_record(actor=actor, action=Action.DELETE, obj=saved)
    saved.delete()


def listings_changed() -> None:
    """Call inside the transaction that adds or changes a listing or its sessions.

    One check is queued per minute however many changes there are.
    """
    now = clock.now()
    due = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    job_enqueue(
        task=CHECK_TASK,
        due_at=due,
        idempotency_key=f"{CHECK_TASK}:{due.isoformat()}",
    )


def _fingerprint(ids: set[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]


@transaction.atomic
def saved_search_check(*, saved: SavedSearch) -> list[Service]:
    """Tell her about services that match now and that she has not been told about."""
    saved = SavedSearch.objects.select_for_update().select_related("user").get(pk=saved.pk)
    told = set(saved.told_about.values_list("pk", flat=True))
    matching = matching_service_ids(saved.query)
    if matching is None:
        logger.info("Saved search %s no longer applies; not run.", saved.public_id)
        return []
    new_ids = matching - told
    if not new_ids or not saved.user.is_active:
        return []
    services = list(Service.objects.filter(pk__in=new_ids).order_by("name"))
    saved.told_about.add(*services)
    notify(
        recipient=saved.user,
        purpose=NEW_GROUP,
        subject=saved,
        context={"names": [service.name for service in services][:5], "count": len(services)},
        # Her kept searches, not the search itself: the link is printed in emails, and the
        # search says what she is looking for (and where).
        link=reverse("directory:saved_searches"),
        idempotency_key=f"saved-search:{saved.public_id}:{_fingerprint(new_ids)}",
    )
    return services


@periodic(CHECK_TASK, every=dt.timedelta(hours=1))
def saved_searches_check() -> int:
    """Every saved search; the number of people told about something new."""
    told = 0
    for saved in SavedSearch.objects.filter(user__is_active=True).iterator():
        try:
            told += bool(saved_search_check(saved=saved))
        except Exception:  # one broken search must not stop everyone else's
            logger.exception("Saved search %s could not be checked.", saved.public_id)
    return told
