from django.urls import path

from peerpath.directory import api, saved_views, views

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
]
