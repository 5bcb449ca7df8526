import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as project_urls
from peerpath.core.views import csrf_failure


def _boom(request):
    raise RuntimeError("secret-detail-that-must-not-show")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    *project_urls,
]
handler403 = "peerpath.core.views.permission_denied"
handler404 = "peerpath.core.views.page_not_found"
handler500 = "peerpath.core.views.server_error"


@pytest.mark.django_db
def test_an_unknown_address_gets_a_calm_404_with_a_way_to_help(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'href="/help-now/"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_our_page_and_never_a_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret-detail-that-must-not-show" not in html
    assert "Traceback" not in html
    assert "Get help now" in html
    assert 'href="tel:999"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_forbidden_page_uses_the_same_layout(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_explains_itself_instead_of_showing_django_s_page(rf):
    response = csrf_failure(rf.post("/"), reason="CSRF cookie not set.")
    html = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in html
    assert "CSRF cookie not set" not in html
