import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as project_urls


def _fails(request):
    raise ValueError("kaboom")


urlpatterns = [path("fails/", _fails), *project_urls]
handler500 = "peerpath.core.views.server_error"


@pytest.fixture
def log_output():
    """The production logging configuration, writing JSON to a buffer."""
    buffer = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING))
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_error_log_never_holds_the_request_body_query_or_cookies(log_output):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-cookie-value"
    client.post(
        "/fails/?postcode=EX4+4QJ&token=reset-token-123",
        {"password": "hunter2-secret", "email": "mum@example.org", "note": "I feel hopeless"},
    )
    output = log_output.getvalue()
    assert "Internal Server Error" in output
    for secret in (
        "hunter2-secret",
        "mum@example.org",
        "I feel hopeless",
        "EX4",
        "reset-token-123",
        "session-cookie-value",
    ):
        assert secret not in output
    record = json.loads(output.strip().splitlines()[-1])
    assert record["level"] == "ERROR"
    assert record["logger"] == "django.request"


def test_sensitive_extras_are_redacted(log_output):
    logging.getLogger("peerpath.test").warning(
        "Sent a message to %s", "mum@example.org", extra={"phone": "07700900123", "count": 3}
    )
    record = json.loads(log_output.getvalue().strip())
    assert record["message"] == "Sent a message to [email]"
    assert record["phone"] == "[redacted]"
    assert record["count"] == 3
