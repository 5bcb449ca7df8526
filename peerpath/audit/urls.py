from django.urls import path

from peerpath.audit import views

urlpatterns = [
    path("staff/<slug:slug>/audit/", views.audit_search, name="audit_search"),
]
