"""Throwaway review reproductions. Not part of the project."""
from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_person, membership_of
from peerpath.accounts.choices import Role
from peerpath.accounts.models import Invitation, Membership, User
from peerpath.accounts.subject_rights import user_erase, member_data_export

pytestmark = pytest.mark.django_db
PW = "correct horse battery staple"


def _client(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


# 1. audit search: bad date -> 500
def test_audit_date_to_far_future_is_500(organisation, org_admin):
    c = _client(org_admin)
    url = reverse("audit_search", kwargs={"slug": organisation.slug})
    r = c.get(url, {"date_to": "31/12/9999"})
    print("audit date_to=31/12/9999 ->", r.status_code)
    assert r.status_code == 500


# 2. sign out of all other devices misses the session where TOTP was activated
def test_sign_out_other_devices_misses_session_where_totp_was_activated(organisation):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.usersessions.models import UserSession

    from allauth.account.models import EmailAddress
    staff = make_person(organisation, Role.COORDINATOR, mfa=False)
    EmailAddress.objects.create(user=staff, email=staff.email, primary=True, verified=True)
    start = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        laptop = Client()
        r = laptop.post(reverse("account_login"), {"login": staff.email, "password": PW})
        assert r["Location"] == reverse("mfa_activate_totp")
        r = laptop.get(reverse("mfa_activate_totp"))
        assert r.status_code == 200, r
        secret = laptop.session["mfa.totp.secret"]

        def code():
            import time
            return format_hotp_value(hotp_value(secret, int(time.time()) // 30))

        r = laptop.post(reverse("mfa_activate_totp"), {"code": code()})
        assert r.status_code == 302, r.content[:3000]
        assert laptop.get(reverse("staff_home")).status_code == 200
        print("UserSession rows after activation:", UserSession.objects.filter(user=staff).count())

        clock.shift(dt.timedelta(seconds=90))
        phone = Client()
        r = phone.post(reverse("account_login"), {"login": staff.email, "password": PW})
        r = phone.post(reverse("mfa_authenticate"), {"code": code()})
        assert phone.get(reverse("staff_home")).status_code == 200
        listing = phone.get(reverse("usersessions_list")).content.decode()
        print("phone sees 'not signed in anywhere else':", "not signed in anywhere else" in listing)
        r = phone.post(reverse("usersessions_list"))
        assert r.status_code == 302
        # The laptop should now be signed out ...
        still = laptop.get(reverse("staff_home")).status_code
        print("laptop after 'sign out of all other devices' ->", still)
        assert still == 200  # defect: laptop is still signed in


# 3. erasure leaves the staff person's email in Invitation, shown to org admins
def test_erasure_leaves_email_in_invitation(organisation, org_admin):
    c = _client(org_admin)
    url = reverse("staff_invitations", kwargs={"slug": organisation.slug})
    c.post(url, {"email": "jo.private@example.org", "role": "peer_supporter"})
    link = re.search(r"http://testserver(/invitations/\S+)", mail.outbox[0].body).group(1)
    Client().post(link, {"display_name": "Jo", "password1": "sea glass lantern 7",
                         "password2": "sea glass lantern 7"})
    jo = User.objects.get(email="jo.private@example.org")
    user_erase(actor=jo, user=jo)
    jo.refresh_from_db()
    assert jo.email.startswith("erased-")
    assert Invitation.objects.filter(email="jo.private@example.org", accepted_by=jo).exists()
    page = c.get(url).content.decode()
    assert "jo.private@example.org" in page


# 4. erasure does not end matches: the supporter still opens the erased member's record
def test_erasure_does_not_end_match(member, supporter_matched):
    from peerpath.buddying.models import Match
    m = membership_of(member, Role.MEMBER)
    user_erase(actor=member, user=member)
    assert Match.objects.filter(member=m, status="active").exists()
    r = _client(supporter_matched).get(
        reverse("staff_member_detail", kwargs={"public_id": m.public_id}))
    print("matched supporter opens erased member ->", r.status_code)
    assert r.status_code == 200


# 5. an address that is someone's verified secondary email -> 500 on create-on-behalf / invite signup
def test_secondary_email_collision_500(organisation, coordinator, org_admin, other_member):
    from allauth.account.models import EmailAddress
    EmailAddress.objects.create(user=other_member, email="second@example.org", verified=True,
                                primary=False)
    c = _client(coordinator)
    url = reverse("staff_member_create", kwargs={"slug": organisation.slug})
    r = c.post(url, {"email": "second@example.org", "display_name": "", "consent_method": "phone",
                     "consent_confirmed": "on"})
    print("create-on-behalf with secondary address ->", r.status_code)
    assert r.status_code == 500

    a = _client(org_admin)
    a.post(reverse("staff_invitations", kwargs={"slug": organisation.slug}),
           {"email": "second@example.org", "role": "moderator"})
    link = re.search(r"http://testserver(/invitations/\S+)", mail.outbox[-1].body).group(1)
    r = Client(raise_request_exception=False).post(
        link, {"display_name": "X", "password1": "sea glass lantern 7",
               "password2": "sea glass lantern 7"})
    print("invitation signup with secondary address ->", r.status_code)
    assert r.status_code == 500


# 6. valid invitation token reaches the logs (403 wrong account), redaction keeps it
def test_valid_invitation_token_is_logged(organisation, org_admin, member):
    from peerpath.core.logging import RedactingFilter
    a = _client(org_admin)
    a.post(reverse("staff_invitations", kwargs={"slug": organisation.slug}),
           {"email": "new.person@example.org", "role": "org_admin"})
    link = re.search(r"http://testserver(/invitations/\S+)", mail.outbox[-1].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    records = []

    class H(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    h = H()
    h.addFilter(RedactingFilter())
    lg = logging.getLogger("django.request")
    lg.addHandler(h)
    try:
        r = _client(member).get(link)  # someone signed in as another person opens it
    finally:
        lg.removeHandler(h)
    assert r.status_code == 403
    print("logged:", records)
    assert any(token in line for line in records)


# 7. admin: clearing ended_at on an old membership -> IntegrityError 500
def test_admin_reopening_membership_500(organisation, member):
    from allauth.mfa.totp.internal.auth import TOTP
    from peerpath.accounts.services import membership_end, membership_grant
    admin = make_person(organisation, Role.ORG_ADMIN)
    old = membership_of(member, Role.MEMBER)
    membership_end(actor=admin, membership=old)
    membership_grant(actor=None, user=member, organisation=organisation, role=Role.MEMBER)
    c = _client(admin)
    url = reverse("admin:accounts_membership_change", args=[old.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"ended_at_0": "", "ended_at_1": ""})
    print("admin clears ended_at ->", r.status_code)
    assert r.status_code == 500


# 8. export: no matches, no secondary email addresses
def test_export_misses_match_and_secondary_email(member, supporter_matched):
    from allauth.account.models import EmailAddress
    EmailAddress.objects.create(user=member, email="other@example.org", verified=True)
    data = member_data_export(actor=member, user=member)
    text = repr(data)
    print(sorted(data))
    assert "other@example.org" not in text
    assert "match" not in text.lower()
