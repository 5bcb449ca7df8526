from django.urls import path

from peerpath.directory import api, saved_views, staff_views, views

app_name = "directory"

urlpatterns = [
    path("find-support/", views.find_support, name="find_support"),
    path("find-support/<uuid:public_id>/", views.service_detail, name="service_detail"),
    path("find-support/<uuid:public_id>/sessions.ics", views.service_ics, name="service_calendar"),
    path("find-support/tell-me/", saved_views.saved_search_create, name="saved_search_create"),
    path("account/searches/", saved_views.saved_searches, name="saved_searches"),
    path(
        "account/searches/<uuid:public_id>/stop/",
        saved_views.saved_search_delete,
        name="saved_search_delete",
    ),
    path("api/v1/openreferral/services/", api.openreferral_services, name="openreferral_services"),
    path(
        "api/v1/openreferral/services/<uuid:public_id>/",
        api.openreferral_service,
        name="openreferral_service",
    ),
    # Staff: a charity's listings, places, repeating times and sessions, and the gaps.
    path("staff/<slug:slug>/listings/", staff_views.listings, name="staff_listings"),
    path(
        "staff/<slug:slug>/listings/new/", staff_views.listing_create, name="staff_listing_create"
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/",
        staff_views.listing,
        name="staff_listing",
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/edit/",
        staff_views.listing_edit,
        name="staff_listing_edit",
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/checked/",
        staff_views.listing_checked,
        name="staff_listing_checked",
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/on-find-support/",
        staff_views.listing_active,
        name="staff_listing_active",
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/times/new/",
        staff_views.schedule_create_view,
        name="staff_schedule_create",
    ),
    path(
        "staff/<slug:slug>/listings/<uuid:public_id>/sessions/",
        staff_views.sessions,
        name="staff_sessions",
    ),
    path(
        "staff/<slug:slug>/times/<uuid:public_id>/end/",
        staff_views.schedule_end_view,
        name="staff_schedule_end",
    ),
    path(
        "staff/<slug:slug>/sessions/<uuid:public_id>/cancel/",
        staff_views.session_cancel,
        name="staff_session_cancel",
    ),
    path(
        "staff/<slug:slug>/sessions/<uuid:public_id>/move/",
        staff_views.session_move,
        name="staff_session_move",
    ),
    path(
        "staff/<slug:slug>/places/new/",
        staff_views.location_create_view,
        name="staff_location_create",
    ),
    path(
        "staff/<slug:slug>/places/<uuid:public_id>/",
        staff_views.location_edit,
        name="staff_location_edit",
    ),
    path("staff/<slug:slug>/gaps/", staff_views.gaps, name="staff_gaps"),
]
