"""Safeguarding's websocket routes (collected in config/routing.py)."""

from django.urls import path

from peerpath.safeguarding.consumers import AlertsConsumer

websocket_urlpatterns = [
    path("ws/staff/<slug:slug>/alerts/", AlertsConsumer.as_asgi()),
]
