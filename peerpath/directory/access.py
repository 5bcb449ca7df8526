"""The directory is public: anyone may see active listings. Saved searches are hers alone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.access import get_staff_organisation, has_role
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Organisation, User
from peerpath.directory import hooks
from peerpath.directory.models import Location, Occurrence, SavedSearch, Schedule, Service

if TYPE_CHECKING:
    from peerpath.accounts.access import AnyUser


def can_manage_listings(user: AnyUser, organisation: Organisation | int) -> bool:
    """Add and change the charity's listings, places, times and sessions; see the gaps."""
    return has_role(user, organisation, Role.COORDINATOR, Role.ORG_ADMIN)


def get_public_service(public_id: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("location", "organisation").prefetch_related(
            "schedules__service"
        ),
        public_id=public_id,
        is_active=True,
    )


def own_saved_searches(user: AnyUser) -> QuerySet[SavedSearch]:
    if not isinstance(user, User):
        raise Http404
    return SavedSearch.objects.filter(user=user)


def get_own_saved_search(user: AnyUser, public_id: str) -> SavedSearch:
    saved: SavedSearch = get_object_or_404(own_saved_searches(user), public_id=public_id)
    return saved


# Staff: a charity's own listings. Anyone but its coordinators and admins gets a 404, so a
# listing of another charity is not even confirmed to exist.


def get_listings_organisation(user: AnyUser, slug: str) -> Organisation:
    """The organisation whose listings she manages."""
    organisation = get_staff_organisation(user, slug)
    if not can_manage_listings(user, organisation):
        raise Http404
    return organisation


def managed_services(user: AnyUser, organisation: Organisation) -> QuerySet[Service]:
    """The organisation's listings, taken down or not, with their place and next session."""
    if not can_manage_listings(user, organisation):
        raise Http404
    return Service.objects.filter(organisation=organisation).select_related("location")


def get_managed_service(user: AnyUser, organisation: Organisation, public_id: str) -> Service:
    service: Service = get_object_or_404(
        managed_services(user, organisation).prefetch_related("facilitators", "schedules"),
        public_id=public_id,
    )
    return service


def managed_locations(user: AnyUser, organisation: Organisation) -> QuerySet[Location]:
    if not can_manage_listings(user, organisation):
        raise Http404
    return Location.objects.filter(organisation=organisation)


def get_managed_location(user: AnyUser, organisation: Organisation, public_id: str) -> Location:
    location: Location = get_object_or_404(
        managed_locations(user, organisation), public_id=public_id
    )
    return location


def get_managed_schedule(user: AnyUser, organisation: Organisation, public_id: str) -> Schedule:
    if not can_manage_listings(user, organisation):
        raise Http404
    schedule: Schedule = get_object_or_404(
        Schedule.objects.select_related("service"),
        service__organisation=organisation,
        public_id=public_id,
    )
    return schedule


def _with_people_booked(sessions: list[Occurrence]) -> list[Occurrence]:
    """Each session with ``booked``: how many people hold a place (a count, not who, from
    the apps that take bookings: ``hooks.count_people_booked``)."""
    counts: dict[int, int] = {}
    if sessions:
        hooks.count_people_booked(sessions=sessions, counts=counts)
    for occurrence in sessions:
        occurrence.booked = counts.get(occurrence.pk, 0)  # type: ignore[attr-defined]
    return sessions


def managed_sessions(
    user: AnyUser, service: Service, *, since: dt.datetime, limit: int
) -> list[Occurrence]:
    """A listing's sessions from ``since``, in time order, each with the number of people
    holding a place (not who)."""
    if not can_manage_listings(user, service.organisation_id):
        raise Http404
    return _with_people_booked(
        list(
            Occurrence.objects.filter(service=service, starts_at__gte=since).order_by("starts_at")[
                :limit
            ]
        )
    )


def get_managed_session(user: AnyUser, organisation: Organisation, public_id: str) -> Occurrence:
    """One of the organisation's sessions, with the number of people holding a place."""
    if not can_manage_listings(user, organisation):
        raise Http404
    occurrence: Occurrence = get_object_or_404(
        Occurrence.objects.select_related("service__organisation", "schedule"),
        service__organisation=organisation,
        public_id=public_id,
    )
    return _with_people_booked([occurrence])[0]


def peer_supporters_of(user: AnyUser, organisation: Organisation) -> QuerySet[User]:
    """Who may be named as a group's facilitators: the charity's current peer supporters."""
    if not can_manage_listings(user, organisation):
        raise Http404
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.PEER_SUPPORTER,
            memberships__ended_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def listing_facilitators(user: AnyUser, service: Service) -> list[User]:
    """The peer supporters named as running a listing (for its staff page)."""
    if not can_manage_listings(user, service.organisation_id):
        raise Http404
    return list(service.facilitators.all())


def people_booked_ahead(user: AnyUser, service: Service) -> int:
    """How many people hold or wait for a place at its future sessions (a count only, from
    the apps that take bookings: ``hooks.count_people_booked_ahead``)."""
    if not can_manage_listings(user, service.organisation):
        raise Http404
    headcount = hooks.Headcount()
    hooks.count_people_booked_ahead(service=service, headcount=headcount)
    return headcount.people
