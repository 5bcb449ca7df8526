from django.urls import path

from peerpath.audit import views

app_name = "audit"

urlpatterns = [
    path("staff/<slug:slug>/audit/", views.audit_search, name="audit_search"),
]
