import pytest
from django.urls import reverse

from peerpath.accounts.services import organisation_create
from peerpath.core.actors import OPERATOR
from peerpath.safeguarding.services import crisis_contacts_seed_defaults

PUBLIC_PAGES = (
    "core:home",
    "safeguarding:help_now",
    "core:privacy",
    "core:accessibility",
    "core:cookies",
)


@pytest.fixture
def charity(db):
    organisation = organisation_create(
        actor=OPERATOR,
        name="Harbour Parents Peer Support",
        slug="harbour-parents",
        contact_email="hello@harbour-parents.example",
        contact_phone="01632 960 111",
    )
    crisis_contacts_seed_defaults(organisation=organisation, actor=OPERATOR)
    return organisation


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_page_shows_the_charity_and_a_get_help_now_link(client, charity, name):
    html = client.get(reverse(name)).content.decode()
    assert "Harbour Parents Peer Support" in html
    assert html.count('href="/help-now/"') >= 2  # the bar at the top and the footer
    assert 'href="#maincontent"' in html  # skip link
    for footer_link in ("/privacy/", "/accessibility/", "/cookies/"):
        assert f'href="{footer_link}"' in html


@pytest.mark.django_db
def test_pages_never_show_the_nhs_logo(client, charity):
    for name in PUBLIC_PAGES:
        html = client.get(reverse(name)).content.decode()
        assert "nhsuk-header__logo" not in html
        assert 'aria-label="NHS' not in html


@pytest.mark.django_db
def test_with_no_organisation_yet_pages_still_work_under_the_installation_name(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "PeerPath" in response.content.decode()


def test_the_home_page_says_what_we_offer_and_how_to_reach_us(client, charity):
    html = client.get(reverse("core:home")).content.decode()
    assert "trained peer supporters" in html
    assert "Find support near you" in html
    assert 'href="tel:01632960111"' in html
    assert 'href="mailto:hello@harbour-parents.example"' in html


def test_the_crisis_page_puts_999_first_with_one_tap_numbers(client, charity):
    html = client.get(reverse("safeguarding:help_now")).content.decode()
    assert html.index('href="tel:999"') < html.index('href="tel:116123"')
    assert 'href="tel:111"' in html
    assert 'href="sms:85258?body=SHOUT"' in html
    assert "Text SHOUT to 85258" in html
    assert 'href="mailto:jo@samaritans.org"' in html
    assert "postpartum psychosis" in html
    assert "not a crisis service" in html


def test_the_crisis_page_shows_what_the_organisation_edited(client, charity):
    samaritans = charity.crisis_contacts.get(name="Samaritans")
    samaritans.is_active = False
    samaritans.save()
    html = client.get(reverse("safeguarding:help_now")).content.decode()
    assert "116 123" not in html
    assert "Shout" in html


def test_public_pages_cost_at_most_two_queries(client, charity, django_assert_max_num_queries):
    for name in PUBLIC_PAGES:
        with django_assert_max_num_queries(2):
            client.get(reverse(name))


def test_once_the_charity_is_known_static_pages_cost_no_query(
    client, charity, django_assert_num_queries
):
    client.get(reverse("core:home"))
    with django_assert_num_queries(0):
        client.get(reverse("core:privacy"))
    with django_assert_num_queries(1):
        client.get(reverse("safeguarding:help_now"))


def test_the_crisis_page_still_answers_when_the_database_does_not(client, charity, monkeypatch):
    from django.db import DatabaseError

    from peerpath.safeguarding import crisis

    def broken(organisation_id):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(crisis, "crisis_contacts_for_organisation", broken)
    response = client.get(reverse("safeguarding:help_now"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:999"' in html
    assert 'href="tel:116123"' in html
