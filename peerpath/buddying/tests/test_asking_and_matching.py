"""She asks for a peer supporter; a coordinator sees suggestions with their reasons and asks
one; the supporter says yes or no; she is told who, and can ask for someone else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.audit.models import AuditEvent
from peerpath.buddying.choices import ProposalStatus, RequestStatus
from peerpath.buddying.models import Match, MatchStatus, Proposal, SupportRequest
from peerpath.buddying.tests.conftest import Charity, signed_in, text
from peerpath.notifications.models import Notification

pytestmark = pytest.mark.django_db

ASK = {
    "modes": ["phone", "in_person"],
    "rhythm": "weekly",
    "area": "Exeter",
    "languages": ["en"],
    "experiences": ["hyperemesis"],
    "day_mon": ["morning"],
    "story": "Sick every day until 20 weeks.",
    "hopes": "Someone to talk to in the mornings.",
}


def _ask(charity: Charity, **changes: object) -> SupportRequest:
    response = signed_in(charity.member).post(reverse("buddying:ask"), {**ASK, **changes})
    assert response.status_code == 302, text(response)
    return SupportRequest.objects.get(member__user=charity.member, status=RequestStatus.WAITING)


def _request_url(charity: Charity, request: SupportRequest, name: str = "request_detail") -> str:
    return reverse(
        f"buddying:{name}",
        kwargs={"slug": charity.organisation.slug, "public_id": request.public_id},
    )


def _propose(charity: Charity, request: SupportRequest, supporter_key: int):
    client = signed_in(charity.coordinator)
    return client.post(_request_url(charity, request, "propose"), {"supporter": supporter_key})


def test_she_asks_and_sees_what_happens_next_with_the_date_we_aim_for(charity):
    request = _ask(charity)
    assert request.story == "Sick every day until 20 weeks."
    assert request.availability == {"mon": ["morning"]}
    page = text(signed_in(charity.member).get(reverse("buddying:mine")))
    assert "What happens next" in page
    # Asked on Tuesday 2 March 2027: 5 working days is Tuesday 9 March.
    assert "We aim to match you by Tuesday 9 March (within 5 working days of asking)" in page
    assert "I do not need a peer supporter any more" in page
    # The coordinators are told, without her words.
    told = Notification.objects.get(recipient=charity.coordinator, purpose="support_asked")
    assert "Sick" not in str(told.context)
    assert AuditEvent.objects.filter(object_id=str(request.public_id), action="create").exists()


def test_a_problem_is_shown_beside_its_question_and_nothing_she_typed_is_lost(charity):
    client = signed_in(charity.member)
    response = client.post(
        reverse("buddying:ask"),
        {**ASK, "area": "", "rhythm": "", "story": "Words she took time to write."},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Enter your town or area, so we can find someone who can meet you." in page
    assert "Choose how often you would like to be in touch." in page
    assert "Words she took time to write." in page
    in_person = re.search(r'<input[^>]*value="in_person"[^>]*>', response.content.decode())
    assert in_person is not None
    assert "checked" in in_person.group(0)
    assert not SupportRequest.objects.exists()


def test_she_cannot_have_two_requests_waiting(charity):
    _ask(charity)
    response = signed_in(charity.member).get(reverse("buddying:ask"))
    assert response.status_code == 302
    assert response["Location"] == reverse("buddying:mine")
    assert SupportRequest.objects.count() == 1


def test_the_coordinator_sees_suggestions_with_reasons_and_who_was_left_out_and_why(charity):
    request = _ask(charity)
    page = text(signed_in(charity.coordinator).get(_request_url(charity, request)))
    suggested, left_out = page.split("Left out")
    assert "Hazel" in suggested
    assert "Shared experience: Severe sickness in pregnancy (hyperemesis)" in suggested
    assert "Also covers Exeter, so they can meet" in suggested
    assert "Both free: Monday morning" in suggested
    assert "Ivy" in left_out
    assert "Ivy" not in suggested
    assert "Last supervision was 5 January 2027" in left_out


def test_a_supporter_who_is_not_ready_cannot_be_asked_even_by_a_crafted_post(charity):
    request = _ask(charity)
    response = _propose(charity, request, charity.ivy_place.pk)
    assert response.status_code == 400
    assert "That peer supporter cannot be asked now" in text(response)
    assert not Proposal.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING


def test_asked_accepted_and_she_is_told_her_supporters_name(charity):
    request = _ask(charity)
    response = _propose(charity, request, charity.hazel_place.pk)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert "Shared experience: Severe sickness in pregnancy (hyperemesis)" in proposal.reasons
    assert Notification.objects.filter(recipient=charity.hazel, purpose="support_proposed").exists()

    hazel = signed_in(charity.hazel)
    page = text(hazel.get(reverse("buddying:proposal", kwargs={"public_id": proposal.public_id})))
    assert "Could you support Sunflower 12?" in page
    assert "Someone to talk to in the mornings." in page
    response = hazel.post(
        reverse("buddying:proposal", kwargs={"public_id": proposal.public_id}), {"answer": "yes"}
    )
    assert response.status_code == 302
    match = Match.objects.get(status=MatchStatus.ACTIVE)
    assert (match.member, match.supporter, match.request) == (
        charity.member_place,
        charity.hazel_place,
        request,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED
    assert Notification.objects.filter(recipient=charity.member, purpose="supporter_found").exists()
    page = text(signed_in(charity.member).get(reverse("buddying:mine")))
    assert "Hazel is your peer supporter" in page
    assert "Ask for someone else" in page


def test_a_no_sends_the_request_back_and_she_is_not_suggested_again(charity):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    proposal = Proposal.objects.get()
    url = reverse("buddying:proposal", kwargs={"public_id": proposal.public_id})
    response = signed_in(charity.hazel).post(url, {"answer": "no"})
    assert response.status_code == 400
    assert "Choose a reason, so the coordinator can ask someone else." in text(response)
    response = signed_in(charity.hazel).post(url, {"answer": "no", "reason": "no_room"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING
    assert Notification.objects.filter(recipient=charity.coordinator, purpose="support_answered")
    page = text(signed_in(charity.coordinator).get(_request_url(charity, request)))
    assert "Said no to this request" in page.split("Left out")[1]


def test_training_that_lapses_after_the_proposal_stops_the_yes(charity):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    proposal = Proposal.objects.get()
    # Five weeks later her supervision (20 February) is past its 31 days.
    with time_machine.travel(dt.datetime(2027, 3, 30, 10, 0, tzinfo=dt.UTC), tick=False):
        client = signed_in(charity.hazel)
        response = client.post(
            reverse("buddying:proposal", kwargs={"public_id": proposal.public_id}),
            {"answer": "yes"},
        )
    assert response.status_code == 400
    assert "You cannot take on a new match just now" in text(response)
    assert not Match.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WAITING


def test_she_asks_for_someone_else_without_a_reason_and_is_never_offered_the_same_one(charity):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    proposal = Proposal.objects.get()
    signed_in(charity.hazel).post(
        reverse("buddying:proposal", kwargs={"public_id": proposal.public_id}), {"answer": "yes"}
    )
    match = Match.objects.get()
    client = signed_in(charity.member)
    url = reverse("buddying:someone_else", kwargs={"public_id": match.public_id})
    assert "You do not need to give a reason." in text(client.get(url))
    assert client.post(url).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    again = SupportRequest.objects.get(status=RequestStatus.WAITING)
    assert again.source == "someone_else"
    assert again.story == request.story  # she does not have to explain herself again
    assert list(again.not_with.all()) == [charity.hazel_place]
    told = Notification.objects.get(recipient=charity.hazel, purpose="match_ended")
    assert told.context == {}
    page = text(signed_in(charity.coordinator).get(_request_url(charity, again)))
    assert "She asked for someone else instead of this supporter" in page.split("Left out")[1]


def test_she_can_withdraw_and_a_waiting_proposal_is_withdrawn_with_it(charity):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    client = signed_in(charity.member)
    assert "Withdraw your request?" in text(client.get(reverse("buddying:withdraw")))
    assert client.post(reverse("buddying:withdraw")).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN
    page = text(client.get(reverse("buddying:mine")))
    assert "Ask for a peer supporter" in page


def test_the_queue_puts_an_open_alert_first_and_marks_a_late_request(charity, organisation):
    other = make_person(organisation, Role.MEMBER, display_name="Willow 7")
    from conftest import ensure_consent_texts
    from peerpath.accounts.models import ConsentKind
    from peerpath.accounts.services import consent_give

    ensure_consent_texts()
    consent_give(actor=other, user=other, kind=ConsentKind.HEALTH_DATA)
    with time_machine.travel(dt.datetime(2027, 2, 22, 10, 0, tzinfo=dt.UTC), tick=False):
        response = signed_in(other).post(reverse("buddying:ask"), ASK)
        assert response.status_code == 302
    _ask(charity)
    from peerpath.safeguarding.services import alert_raise

    alert_raise(
        actor=charity.member,
        organisation=organisation,
        source="member_request",
        tier=1,
        member=charity.member,
    )
    page = text(
        signed_in(charity.coordinator).get(
            reverse("buddying:queue", kwargs={"slug": organisation.slug})
        )
    )
    assert page.index("Sunflower 12") < page.index("Willow 7")
    assert "open alert" in page
    # Asked Monday 22 February: due Monday 1 March, so late on Tuesday 2 March.
    assert "late: due 1 Mar" in page
    assert "1 past the service level" in page


def test_nobody_else_sees_requests_or_proposals(charity, outsider, other_member):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    proposal = Proposal.objects.get()
    proposal_url = reverse("buddying:proposal", kwargs={"public_id": proposal.public_id})
    for person in (charity.ivy, charity.member, charity.coordinator, outsider):
        assert signed_in(person).get(proposal_url).status_code == 404
    for person in (charity.hazel, charity.member, other_member):
        assert signed_in(person).get(_request_url(charity, request)).status_code == 404
    assert signed_in(outsider).get(_request_url(charity, request)).status_code == 404
    outsider_queue = reverse("buddying:queue", kwargs={"slug": charity.organisation.slug})
    assert signed_in(outsider).get(outsider_queue).status_code == 404
    # Another member of the same charity has nothing to withdraw, and sees only her own page.
    page = text(signed_in(other_member).get(reverse("buddying:mine")))
    assert "Sunflower 12" not in page


def test_the_queue_and_a_request_page_take_a_fixed_number_of_queries(
    charity, organisation, django_assert_max_num_queries
):
    _ask(charity)
    for n in range(8):
        extra = make_person(organisation, Role.PEER_SUPPORTER, display_name=f"Extra {n}")
        del extra
    coordinator = signed_in(charity.coordinator)
    request = SupportRequest.objects.get()
    with django_assert_max_num_queries(30):
        assert coordinator.get(_request_url(charity, request)).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            coordinator.get(
                reverse("buddying:queue", kwargs={"slug": organisation.slug})
            ).status_code
            == 200
        )


def test_after_her_answer_the_supporter_no_longer_sees_the_members_words(charity):
    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    proposal = Proposal.objects.get()
    url = reverse("buddying:proposal", kwargs={"public_id": proposal.public_id})
    hazel = signed_in(charity.hazel)
    asked = text(hazel.get(url))
    assert "Someone to talk to in the mornings." in asked
    assert "Sick every day until 20 weeks." not in asked  # her story is for coordinators
    assert AuditEvent.objects.filter(
        object_id=str(request.public_id), action="read", detail="proposal page"
    ).exists()
    hazel.post(url, {"answer": "no", "reason": "no_room"})
    page = text(hazel.get(url))
    assert "This request is no longer waiting for you" in page
    assert "Someone to talk to" not in page


def test_withdrawing_consent_withdraws_her_request_and_forgets_her_words(charity):
    from peerpath.accounts.models import ConsentKind
    from peerpath.accounts.services import consent_withdraw

    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    consent_withdraw(actor=charity.member, user=charity.member, kind=ConsentKind.HEALTH_DATA)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert (request.story, request.hopes, request.experiences, request.area) == ("", "", [], "")
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.reasons == []
    # She can still see that she has nothing waiting, without agreeing again.
    assert signed_in(charity.member).get(reverse("buddying:withdraw")).status_code == 302


def test_erasure_leaves_no_trace_of_her_experiences_in_the_reasons(charity):
    from peerpath.buddying.privacy import erase

    request = _ask(charity)
    _propose(charity, request, charity.hazel_place.pk)
    erase(actor=charity.member, user=charity.member, now=dt.datetime(2027, 3, 2, tzinfo=dt.UTC))
    assert Proposal.objects.get().reasons == []
    request.refresh_from_db()
    assert request.story == ""


def test_a_coordinator_who_also_supports_cannot_ask_herself(charity, organisation):
    from peerpath.accounts.services import membership_grant
    from peerpath.buddying.tests.conftest import make_ready
    from peerpath.core.actors import OPERATOR

    membership_grant(
        actor=OPERATOR,
        user=charity.coordinator,
        organisation=organisation,
        role=Role.PEER_SUPPORTER,
    )
    place = charity.coordinator.memberships.get(role=Role.PEER_SUPPORTER)
    make_ready(place, supervised_on=dt.date(2027, 2, 20), supervisor=charity.hazel)
    request = _ask(charity)
    response = _propose(charity, request, place.pk)
    assert response.status_code == 400
    assert "You cannot ask yourself" in text(response)
    assert not Proposal.objects.exists()


def test_the_coordinators_look_at_her_request_is_audited(charity):
    request = _ask(charity)
    signed_in(charity.coordinator).get(_request_url(charity, request))
    assert AuditEvent.objects.filter(
        object_id=str(request.public_id), action="read", actor=charity.coordinator
    ).exists()
