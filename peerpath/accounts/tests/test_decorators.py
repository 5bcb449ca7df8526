import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from peerpath.accounts.decorators import health_data_consent_required
from peerpath.accounts.models import ConsentKind
from peerpath.accounts.services import consent_give, consent_withdraw


@health_data_consent_required
def check_in(request):
    return HttpResponse("the check-in")


@pytest.mark.django_db
def test_a_health_page_first_asks_for_consent_and_then_opens(member):
    request = RequestFactory().get("/check-in/?week=3")
    request.user = member
    response = check_in(request)
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('accounts:account_consent')}?next=%2Fcheck-in%2F%3Fweek%3D3"
    )
    consent_give(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    assert check_in(request).content == b"the check-in"
    consent_withdraw(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    assert check_in(request).status_code == 302


def test_the_guard_leaves_signed_out_visitors_to_login_required():
    request = RequestFactory().get("/check-in/")
    request.user = AnonymousUser()
    assert check_in(request).content == b"the check-in"


@pytest.mark.django_db
def test_after_agreeing_she_returns_to_where_she_was_going_but_never_off_site(member):
    client = Client()
    client.force_login(member)
    url = reverse("accounts:account_consent")
    back = client.post(f"{url}?next=/check-in/", {"decision": "give"})
    assert back["Location"] == "/check-in/"
    consent_withdraw(actor=member, user=member, kind=ConsentKind.HEALTH_DATA)
    away = client.post(f"{url}?next=https://evil.example/", {"decision": "give"})
    assert away["Location"] == reverse("accounts:account_profile")
