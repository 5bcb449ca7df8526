from django.urls import path

from peerpath.directory import views

urlpatterns = [
    path("find-support/", views.find_support, name="find_support"),
    path("find-support/<uuid:public_id>/", views.service_detail, name="service_detail"),
    path("find-support/<uuid:public_id>/sessions.ics", views.service_ics, name="service_calendar"),
]
