"""Her account (details, privacy, her data), staff tools, and accepting an invitation."""

from __future__ import annotations

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from markupsafe import Markup

from peerpath.accounts import access, emails
from peerpath.accounts.forms import (
    AccountDetailsForm,
    ConsentForm,
    EraseForm,
    InvitationForm,
    InvitationSignupForm,
    MemberHealthForm,
    MemberOnBehalfForm,
    MemberPreferencesForm,
    SupporterProfileForm,
)
from peerpath.accounts.models import ConsentKind, User
from peerpath.accounts.services import (
    consent_give,
    consent_withdraw,
    current_consent_text,
    has_consent,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_signup,
    member_create_on_behalf,
    member_profile_update,
    supporter_profile_update,
    user_update,
)
from peerpath.accounts.subject_rights import erasure_blockers, member_data_export, user_erase
from peerpath.core.staff_tools import links_for, member_links_for, panels_for


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


# Her account ----------------------------------------------------------------------------------


@login_required
@require_safe
def account_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/account_home.jinja",
        {
            "memberships": list(access.own_member_memberships(user)),
            "health_consent": has_consent(user, ConsentKind.HEALTH_DATA),
            "is_staff_person": access.is_staff_person(user),
            "is_supporter": access.is_peer_supporter(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    membership = access.own_member_memberships(user).select_related("member_profile").first()
    profile = membership.member_profile if membership else None
    consented = has_consent(user, ConsentKind.HEALTH_DATA)
    initial_details = {"display_name": user.display_name, "phone": user.phone}
    initial_preferences = {}
    initial_health = {}
    if profile is not None:
        initial_preferences = {
            "area": profile.area,
            "languages": profile.languages,
            "contact_methods": profile.contact_methods,
            "contact_notes": profile.contact_notes,
        }
        initial_health = {
            "stage": profile.stage,
            "due_date": profile.due_date,
            "baby_birth_date": profile.baby_birth_date,
            "experiences": profile.experiences,
        }
    data = request.POST if request.method == "POST" else None
    details = AccountDetailsForm(data, initial=initial_details, prefix="details")
    preferences = (
        MemberPreferencesForm(data, initial=initial_preferences, prefix="prefs")
        if profile
        else None
    )
    health = (
        MemberHealthForm(data, initial=initial_health, prefix="health")
        if profile and consented
        else None
    )
    forms = [form for form in (details, preferences, health) if form is not None]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        with transaction.atomic():
            user_update(actor=user, user=user, **details.cleaned_data)
            if profile is not None and preferences is not None:
                values = dict(preferences.cleaned_data)
                if health is not None:
                    values.update(health.cleaned_data)
                member_profile_update(actor=user, profile=profile, **values)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:account_home")
    return render(
        request,
        "accounts/profile.jinja",
        {
            "details": details,
            "preferences": preferences,
            "health": health,
            "has_profile": profile is not None,
            "consented": consented,
            "forms": forms,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_consent(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["decision"] == "give":
                consent_give(actor=user, user=user, kind=ConsentKind.HEALTH_DATA)
                messages.success(
                    request, _("Thank you. You can now tell us about your pregnancy or baby.")
                )
                target = request.GET.get("next", "")
                if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    return HttpResponseRedirect(target)
                return redirect("accounts:account_profile")
            consent_withdraw(actor=user, user=user, kind=ConsentKind.HEALTH_DATA)
            messages.success(
                request,
                _(
                    "You have withdrawn your consent. We have deleted the pregnancy and health "
                    "details in your profile."
                ),
            )
            return redirect("accounts:account_home")
    return render(
        request,
        "accounts/consent.jinja",
        {
            "text": current_consent_text(ConsentKind.HEALTH_DATA),
            "given": has_consent(user, ConsentKind.HEALTH_DATA),
        },
    )


@login_required
@require_safe
def account_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data.jinja")


@login_required
@require_safe
def account_data_json(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = member_data_export(actor=user, user=user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-peerpath-data.json"'
    return response


@login_required
@require_safe
def account_data_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/data_page.jinja",
        {"data": member_data_export(actor=user, user=user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    blockers = erasure_blockers(user)
    form = EraseForm(request.POST or None, user=user)
    if blockers:
        return render(request, "accounts/delete.jinja", {"form": form, "blockers": blockers})
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=user
    ):
        # The same limit as confirming a password elsewhere: no unlimited guessing here.
        form.is_valid()
        form.add_error("password", _("Too many tries. Wait a few minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        user_erase(actor=user, user=user)
        logout(request)
        messages.success(request, _("Your account has been deleted. Take care of yourself."))
        return redirect("core:home")
    return render(request, "accounts/delete.jinja", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_supporter_profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = access.own_supporter_profile(user)
    form = SupporterProfileForm(
        request.POST or None, initial=SupporterProfileForm.initial_for(profile)
    )
    if request.method == "POST" and form.is_valid():
        supporter_profile_update(
            actor=user,
            profile=profile,
            lived_experiences=form.cleaned_data["lived_experiences"],
            languages=form.cleaned_data["languages"],
            areas=form.cleaned_data["areas"],
            capacity=form.cleaned_data["capacity"],
            availability=form.availability(),
        )
        messages.success(request, _("Your peer supporter details have been saved."))
        return redirect("accounts:account_home")
    return render(request, "accounts/supporter_profile.jinja", {"form": form})


@require_safe
def your_information(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/your_information.jinja")


# Staff ----------------------------------------------------------------------------------------


@login_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisations = list(access.staff_organisations(user))
    if not organisations:
        raise Http404
    tools = [
        {
            "organisation": organisation,
            "links": [
                {
                    "label": link.label,
                    "href": reverse(link.url_name)
                    if link.site_wide
                    else reverse(link.url_name, kwargs={"slug": organisation.slug}),
                }
                for link in links_for(user, organisation)
            ],
        }
        for organisation in organisations
    ]
    panels = [
        # The app's own template, rendered and escaped there: shown as it is.
        Markup(render_to_string(panel.template, dict(context), request=request))  # noqa: S704
        for panel, context in panels_for(user)
    ]
    return render(request, "accounts/staff_home.jinja", {"tools": tools, "panels": panels})


@login_required
@require_safe
def staff_members(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_staff_organisation(user, slug)
    members = list(access.members_of(user, organisation)[:200])
    return render(
        request,
        "accounts/staff_members.jinja",
        {"organisation": organisation, "members": members},
    )


@login_required
@require_safe
def staff_member_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    member = access.get_member_for_user(user, public_id)
    member_links = [
        {"label": link.label, "href": reverse(link.url_name, kwargs={"public_id": public_id})}
        for link in member_links_for(user, member.organisation)
    ]
    return render(
        request,
        "accounts/staff_member_detail.jinja",
        {"member": member, "profile": member.member_profile, "member_links": member_links},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_member_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_staff_organisation(user, slug)
    if not access.can_manage_members(user, organisation):
        raise Http404
    form = MemberOnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        existing = access.account_for_email(email)
        if existing is not None:
            # Never tell staff of one charity who has an account (perhaps with another): she
            # is emailed instead, and can sign in or reset her password herself.
            emails.send_account_exists(request=request, email=email, organisation=organisation)
        else:
            with transaction.atomic():
                member = member_create_on_behalf(
                    actor=user,
                    organisation=organisation,
                    email=email,
                    display_name=form.cleaned_data["display_name"],
                    consent_method=form.cleaned_data["consent_method"],
                )
            emails.send_set_password(request=request, user=member, organisation=organisation)
        messages.success(
            request,
            _("Done. We have emailed %(email)s with what to do next.") % {"email": email},
        )
        return redirect("accounts:staff_members", slug=organisation.slug)
    return render(
        request, "accounts/staff_member_create.jinja", {"organisation": organisation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = access.get_staff_organisation(user, slug)
    if not access.can_invite_staff(user, organisation):
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            invitation, token = invitation_create(
                actor=user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        emails.send_invitation(request=request, invitation=invitation, token=token)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:staff_invitations", slug=organisation.slug)
    invitations = list(access.invitations_of(user, organisation)[:100])
    return render(
        request,
        "accounts/staff_invitations.jinja",
        {"organisation": organisation, "form": form, "invitations": invitations},
    )


# Invitations ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:  # noqa: PLR0911
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.jinja", status=404)
    user = request.user
    existing = access.account_for_email(invitation.email)
    context: dict[str, object] = {"invitation": invitation}
    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            context["wrong_account"] = True
            return render(request, "accounts/invitation_accept.jinja", context, status=403)
        if request.method == "POST":
            invitation_accept(invitation=invitation, user=_user(request))
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("accounts:staff_home")
        return render(request, "accounts/invitation_accept.jinja", context)
    if existing is not None:
        context["sign_in_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "accounts/invitation_accept.jinja", context)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        new_user = invitation_signup(
            invitation=invitation,
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
        login(request, new_user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    context["form"] = form
    return render(request, "accounts/invitation_accept.jinja", context)
