import pytest
from django.urls import reverse

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def _parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
def test_every_page_sends_the_exact_strict_csp(client):
    # Directive order is not significant in CSP; every directive and source is.
    response = client.get(reverse("core:home"))
    assert _parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_pages_forbid_framing_sniffing_and_leaking_the_address(client):
    response = client.get(reverse("safeguarding:help_now"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client, organisation):
    for name in (
        "core:home",
        "safeguarding:help_now",
        "core:privacy",
        "core:accessibility",
        "core:cookies",
    ):
        html = client.get(reverse(name)).content.decode()
        assert "<style" not in html
        assert " style=" not in html
        for tag in html.split("<script")[1:]:
            assert tag.lstrip().startswith(("src=", 'type="module" src=')), tag[:80]


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(client, member):
    client.force_login(member)
    response = client.get(reverse("core:home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_visitors_are_not_marked_private(client):
    response = client.get(reverse("core:home"))
    assert "no-store" not in response.get("Cache-Control", "")
