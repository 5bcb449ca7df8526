"""A peer supporter reaches the members she supports from her staff home."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.urls import reverse

from conftest import membership_of
from peerpath.accounts.choices import Role
from peerpath.buddying.models import Match

MOMENT = dt.datetime(2027, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_her_staff_home_lists_the_members_she_supports_and_only_them(
    member, other_member, supporter_matched
):
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(supporter_matched)
        home = client.get(reverse("accounts:staff_home")).content.decode()
        match = Match.objects.get(supporter__user=supporter_matched)
        match_page = reverse("buddying:match_staff", kwargs={"public_id": match.public_id})
        member_page = reverse(
            "accounts:staff_member_detail",
            kwargs={"public_id": membership_of(member, Role.MEMBER).public_id},
        )
        assert member_page in client.get(match_page).content.decode()
        opened = client.get(member_page).content.decode()
    assert "The members you support" in home
    assert match_page in home
    assert "no contact logged yet" in home
    assert str(other_member) not in home
    assert "Raise a safeguarding alert" in opened


def test_a_supporter_matched_with_nobody_is_told_so(organisation, supporter_unmatched):
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        client.force_login(supporter_unmatched)
        home = client.get(reverse("accounts:staff_home")).content.decode()
    assert "You are not matched with anyone yet." in home
