""" "Use my location": the browser's position, rounded to about a kilometre, used when she has
not typed a postcode, explained beside the postcode field when it cannot be used, and never
written to the logs."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from peerpath.directory.demo import seed_directory
from peerpath.directory.forms import SearchForm
from peerpath.directory.geo import Point
from peerpath.directory.models import PostcodeCentroid

pytestmark = pytest.mark.django_db

CANNOT_USE = "We could not use your location. Type a postcode or choose a town instead."
OUTSIDE = "Your location looks to be outside the UK. Type a postcode or choose a town instead."


def _form(query: str) -> SearchForm:
    form = SearchForm(QueryDict(query), areas=["Exeter", "Exmouth"])
    form.is_valid()
    return form


def test_her_location_is_rounded_to_about_a_kilometre_and_used_for_distances():
    form = _form("lat=50.722512&lng=-3.505849")

    assert form.is_valid()
    assert form.cleaned_data["near"] == Point(50.72, -3.51)
    assert (form.cleaned_data["lat"], form.cleaned_data["lng"]) == (50.72, -3.51)
    assert form.near_location


def test_without_a_location_or_postcode_nothing_is_near():
    form = _form("where=Exeter")

    assert form.is_valid()
    assert "near" not in form.cleaned_data
    assert not form.near_location


@pytest.mark.parametrize(
    "query",
    [
        "lat=50.72",
        "lng=-3.51",
        "lat=50.72&lng=",
        "lat=north&lng=-3.51",
        "lat=nan&lng=-3.51",
        "lat=inf&lng=0",
    ],
)
def test_half_a_location_or_nonsense_is_explained_beside_the_postcode(query):
    form = _form(query)

    assert not form.is_valid()
    assert form.errors["postcode"] == [CANNOT_USE]
    assert "near" not in form.cleaned_data


@pytest.mark.parametrize(
    "query",
    ["lat=48.85&lng=2.35", "lat=40.71&lng=-74.01", "lat=91&lng=0", "lat=55&lng=-190"],
)
def test_a_location_outside_the_uk_is_explained_beside_the_postcode(query):
    form = _form(query)

    assert not form.is_valid()
    assert form.errors["postcode"] == [OUTSIDE]
    assert "near" not in form.cleaned_data


def test_a_typed_postcode_wins_over_her_location():
    PostcodeCentroid.objects.create(
        postcode="EX81PS", outward="EX8", latitude=50.6204, longitude=-3.4134
    )

    form = _form("postcode=EX8+1PS&lat=50.72&lng=-3.51")

    assert form.is_valid()
    assert form.cleaned_data["near"] == Point(50.6204, -3.4134)
    assert not form.near_location


def test_stopping_using_her_location_keeps_the_rest_of_the_search():
    form = _form("lat=50.72&lng=-3.51&distance=3&times=morning&times=evening")

    assert form.query_without_location() == "distance=3&times=morning&times=evening"


def test_the_page_says_near_your_location_with_distances_and_offers_to_stop(organisation):
    seed_directory(organisation)

    # Four weeks ahead, so there are groups near her whatever day it is (late on a Sunday
    # "this week" is nearly over).
    page = Client().get(
        reverse("directory:find_support"),
        {"lat": "50.7225", "lng": "-3.5058", "when": "four_weeks"},
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "Near your location" in content
    assert "miles away" in content
    assert 'name="lat" value="50.72"' in content
    assert 'name="lng" value="-3.51"' in content
    assert 'href="/find-support/?when=four_weeks">Stop using my location' in content


def test_a_search_by_town_does_not_claim_to_use_her_location(organisation):
    seed_directory(organisation)

    content = Client().get(reverse("directory:find_support"), {"where": "Exeter"}).content.decode()

    assert "Near your location" not in content
    assert "Use my location" in content  # shown by the script only where it can work


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


def test_her_location_never_reaches_the_logs(log_output):
    logging.getLogger("uvicorn.access").warning(
        '127.0.0.1:5000 - "GET /find-support/?lat=50.72&lng=-3.51&distance=3 HTTP/1.1" 200'
    )
    logging.getLogger("django.request").warning(
        "Bad request: %s", "/find-support/?lat=50.72&lng=-3.51"
    )

    output = log_output.getvalue()
    assert "/find-support/?[redacted]" in output
    assert "50.72" not in output
    assert "3.51" not in output


def test_a_kept_search_never_keeps_her_location(organisation, member):
    from peerpath.directory.alerts import SavedSearchError, clean_query, saved_search_create
    from peerpath.directory.models import SavedSearch

    # Near her location, she is asked for a postcode or town instead; nothing is kept.
    with pytest.raises(SavedSearchError, match="We do not keep your location"):
        saved_search_create(
            user=member, data=QueryDict("lat=50.72&lng=-3.51&distance=3&times=morning")
        )
    assert not SavedSearch.objects.exists()
    # And a location that travels with a postcode search is dropped from what is kept.
    query = clean_query(QueryDict("postcode=EX4&lat=50.72&lng=-3.51&times=morning"))
    assert query == "postcode=EX4&times=morning"
