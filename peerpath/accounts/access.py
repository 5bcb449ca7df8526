"""Who may see and do what. The only place role rules live.

Views, the admin, later the API and websocket consumers, all ask these functions. Fetching
functions answer 404 (``Http404``) to anyone who may not know the object exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from peerpath.accounts.choices import STAFF_ROLES, Role
from peerpath.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    SupporterProfile,
    User,
)
from peerpath.audit.models import Action
from peerpath.audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

_ROLES_CACHE = "_peerpath_roles"


def roles_by_organisation(user: AnyUser) -> dict[int, frozenset[str]]:
    """{organisation id: roles} for the person's active memberships; cached on the user object."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        collected: dict[int, set[str]] = {}
        for organisation_id, role in Membership.objects.filter(
            user=user, ended_at__isnull=True
        ).values_list("organisation_id", "role"):
            collected.setdefault(organisation_id, set()).add(role)
        cached = {key: frozenset(value) for key, value in collected.items()}
        setattr(user, _ROLES_CACHE, cached)
    return cached


def forget_roles(user: AnyUser) -> None:
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def roles_in(user: AnyUser, organisation: Organisation | int) -> frozenset[str]:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return roles_by_organisation(user).get(organisation_id, frozenset())


def is_staff_person(user: AnyUser) -> bool:
    """Holds a staff role (anything but member) anywhere: must use two-step verification."""
    return any(roles & STAFF_ROLES for roles in roles_by_organisation(user).values())


def is_peer_supporter(user: AnyUser) -> bool:
    return any(Role.PEER_SUPPORTER in roles for roles in roles_by_organisation(user).values())


def has_mfa(user: AnyUser) -> bool:
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated:
        return False
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def has_role(user: AnyUser, organisation: Organisation | int, *roles: str) -> bool:
    return bool(roles_in(user, organisation) & set(roles))


# Capabilities ---------------------------------------------------------------------------------


def can_see_staff_pages(user: AnyUser, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation) & STAFF_ROLES)


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    """Create member accounts on someone's behalf, list and view members."""
    return has_role(user, organisation, Role.COORDINATOR, Role.ORG_ADMIN)


def can_invite_staff(user: AnyUser, organisation: Organisation) -> bool:
    return has_role(user, organisation, Role.ORG_ADMIN)


def can_use_admin_site(user: AnyUser) -> bool:
    """Django's admin: organisation admins with two-step verification set up, nobody else."""
    return (
        user.is_authenticated
        and user.is_active
        and any(Role.ORG_ADMIN in roles for roles in roles_by_organisation(user).values())
        and has_mfa(user)
    )


def admin_organisation_ids(user: AnyUser) -> list[int]:
    return [
        organisation_id
        for organisation_id, roles in roles_by_organisation(user).items()
        if Role.ORG_ADMIN in roles
    ]


AdminEntryRule = Callable[[User], bool]
_ADMIN_ENTRY_RULES: list[AdminEntryRule] = []


def admin_entry_rule(rule: AdminEntryRule) -> AdminEntryRule:
    """Let a higher app open the admin site's door to people who keep its own pages there
    (safeguarding: the leads who keep the rota). The rule is asked only for active people who
    administer no organisation; two-step verification is still required, and each of the app's
    pages decides which rows they see. Registered from that app's ``admin.py``."""
    if rule not in _ADMIN_ENTRY_RULES:
        _ADMIN_ENTRY_RULES.append(rule)
    return rule


def can_enter_admin_site(user: AnyUser) -> bool:
    """Through the admin site's door: organisation admins, and those a higher app's rule lets
    in, with two-step verification set up. What each page shows is its own decision: only
    organisation admins (``can_use_admin_site``) see the pages of this app."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if not admin_organisation_ids(user) and not any(rule(user) for rule in _ADMIN_ENTRY_RULES):
        return False
    return has_mfa(user)


def can_view_member(user: AnyUser, member: Membership) -> bool:
    """The member herself; coordinators and admins of her organisation; her matched supporter."""
    if not user.is_authenticated or member.role != Role.MEMBER:
        return False
    if member.user_id == user.pk:
        return True
    if can_manage_members(user, member.organisation_id):  # type: ignore[arg-type]
        return True
    return isinstance(user, User) and any(rule(user, member) for rule in _MEMBER_VIEW_RULES)


MemberViewRule = Callable[[User, Membership], bool]
_MEMBER_VIEW_RULES: list[MemberViewRule] = []


def member_view_rule(rule: MemberViewRule) -> MemberViewRule:
    """Let a higher app grant sight of a member (buddying: her matched peer supporter). The
    rule is asked only for signed-in people who are not the member, her coordinators or admins;
    registered from that app's ``access.py``."""
    if rule not in _MEMBER_VIEW_RULES:
        _MEMBER_VIEW_RULES.append(rule)
    return rule


# Fetching -------------------------------------------------------------------------------------


def staff_organisations(user: AnyUser) -> QuerySet[Organisation]:
    ids = [oid for oid, roles in roles_by_organisation(user).items() if roles & STAFF_ROLES]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def get_staff_organisation(user: AnyUser, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_see_staff_pages(user, organisation):
        raise Http404
    return organisation


def get_member_for_user(user: AnyUser, public_id: str) -> Membership:
    """A member's membership and profile, logged as a read of a sensitive record."""
    member = get_object_or_404(
        Membership.objects.select_related("user", "organisation", "member_profile"),
        public_id=public_id,
        role=Role.MEMBER,
    )
    if not isinstance(user, User) or not can_view_member(user, member):
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        obj=member,
        organisation=member.organisation,
    )
    return member


def own_member_memberships(user: AnyUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(
        user=user, role=Role.MEMBER, ended_at__isnull=True
    ).select_related("organisation")


def her_member_place(user: AnyUser) -> Membership | None:
    """Her member place at this site's organisation, else her first one; None for someone who
    is not a member anywhere."""
    from peerpath.accounts.site import site_identity

    memberships = list(own_member_memberships(user))
    site_id = site_identity().organisation_id
    for membership in memberships:
        if membership.organisation_id == site_id:
            return membership
    return memberships[0] if memberships else None


def members_of(user: AnyUser, organisation: Organisation) -> QuerySet[Membership]:
    if not can_manage_members(user, organisation):
        raise Http404
    return (
        Membership.objects.filter(organisation=organisation, role=Role.MEMBER)
        .select_related("user", "member_profile")
        .order_by("-created_at")
    )


def invitations_of(user: AnyUser, organisation: Organisation) -> QuerySet[Invitation]:
    """The organisation's invitations, newest first, for those who may invite staff."""
    if not can_invite_staff(user, organisation):
        raise Http404
    return organisation.invitations.select_related("invited_by").order_by("-created_at")


def account_for_email(email: str) -> User | None:
    """The account using this address, as its sign-in or as a confirmed extra address."""
    from allauth.account.models import EmailAddress

    address = email.lower()
    user = User.objects.filter(email=address).first()
    if user is None:
        extra = EmailAddress.objects.filter(email__iexact=address).select_related("user").first()
        user = extra.user if extra is not None else None
    return user


def own_supporter_profile(user: AnyUser) -> SupporterProfile:
    """Her own peer-supporter profile; 404 for anyone who is not a peer supporter."""
    if not user.is_authenticated:
        raise Http404
    profile = (
        SupporterProfile.objects.select_related("membership__organisation")
        .filter(
            membership__user=user,
            membership__role=Role.PEER_SUPPORTER,
            membership__ended_at__isnull=True,
        )
        .first()
    )
    if profile is None:
        raise Http404
    return profile
