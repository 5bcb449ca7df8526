"""ASGI entry point (uvicorn): pages over HTTP, and websockets for live features.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise, as in wsgi.py: a server
started without it must not run with DEBUG on and the development keys (production refuses
to start without its own). ``make run`` exports config.settings.local.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config.routing import websocket_application, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_application(websocket_urlpatterns),
    }
)
