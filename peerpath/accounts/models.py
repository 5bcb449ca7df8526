"""People, the organisations (charities) they belong to, their roles, profiles and consents."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.choices import (
    STAGE_FOR_STAFF,
    ContactMethod,
    Experience,
    Language,
    Role,
    Stage,
)
from peerpath.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from peerpath.core.models import BaseModel, Sensitive


class Organisation(BaseModel):
    """A peer-support charity. Several can share one installation; none sees another's data."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name for addresses"), max_length=60, unique=True)
    contact_email = models.EmailField(_("public contact email"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("safeguarding lead"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    default_caseload = models.PositiveSmallIntegerField(
        _("active matches per peer supporter"), default=6
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(Sensitive, BaseModel, AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: a member, a peer supporter or staff. Logs in with an email address.

    ``display_name`` is what others see in groups and chat; for members it is a pseudonym by
    default. The phone number is encrypted at rest. ``session_epoch`` goes up when the password
    or two-step verification changes, which signs the person out of every other session.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    phone = EncryptedTextField(_("mobile phone"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ("email",)
        constraints = (
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        )

    def __str__(self) -> str:
        return self.display_name or f"User {self.public_id}"

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "peerpath.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()


class Membership(Sensitive, BaseModel):
    """One role a person holds in one organisation. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("organisation", "role", "created_at")
        constraints = (
            models.UniqueConstraint(
                fields=("user", "organisation", "role"),
                condition=models.Q(ended_at__isnull=True),
                name="accounts_membership_one_active_role",
            ),
        )

    def __str__(self) -> str:
        # No name here: this text is copied into the admin's history, which outlives erasure.
        return f"{self.get_role_display()} membership {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MemberProfile(Sensitive, BaseModel):
    """What a member chooses to tell her organisation. Health details need her consent first."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="member_profile"
    )
    # Encrypted: nothing is filtered on them in the database (ADR 9).
    stage = EncryptedTextField(_("stage"), choices=Stage.choices, blank=True, default="")
    due_date = EncryptedDateField(_("due date"), null=True, blank=True)
    baby_birth_date = EncryptedDateField(_("baby's date of birth"), null=True, blank=True)
    area = models.CharField(_("town or area"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    experiences = EncryptedJSONField(_("experiences shared"), default=list, blank=True)
    contact_methods = models.JSONField(_("ways to contact"), default=list, blank=True)
    contact_notes = EncryptedTextField(_("anything about contacting her"), blank=True, default="")

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Profile of {self.membership.user}"

    def clean(self) -> None:
        # Checked here, not by a database constraint: the stage and dates are encrypted.
        if self.stage == Stage.PREGNANT and self.baby_birth_date is not None:
            raise ValidationError(
                {"baby_birth_date": _("A baby's date of birth is only for after the birth.")}
            )

    @property
    def experience_labels(self) -> list[str]:
        labels = dict(Experience.choices)
        return [str(labels.get(key, key)) for key in self.experiences]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(key, key)) for key in self.languages]

    @property
    def stage_for_staff(self) -> str:
        return str(STAGE_FOR_STAFF.get(self.stage, ""))

    @property
    def prefers(self) -> list[str]:
        labels = dict(ContactMethod.choices)
        return [str(labels.get(method, method)) for method in self.contact_methods]


class SupporterProfile(Sensitive, BaseModel):
    """A peer supporter's lived experience, languages, areas, availability and capacity."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="supporter_profile"
    )
    lived_experiences = EncryptedJSONField(_("lived experiences"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    areas = models.JSONField(_("areas"), default=list, blank=True)
    availability = models.JSONField(_("weekly availability"), default=dict, blank=True)
    capacity = models.PositiveSmallIntegerField(_("active matches at most"), null=True, blank=True)

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Supporter profile of {self.membership.user}"


class ConsentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    HEALTH_DATA = "health_data", _("Using information about my health and pregnancy")


class ConsentText(BaseModel):
    """A published version of a consent or notice. Never edited once anyone has agreed to it."""

    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ("kind", "-version")
        constraints = (
            models.UniqueConstraint(
                fields=("kind", "version"), name="accounts_consenttext_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Online, by the person herself")
    PHONE = "phone", _("By phone, recorded by staff")
    IN_PERSON = "in_person", _("In person, recorded by staff")


class ConsentRecord(Sensitive, BaseModel):
    """Who agreed to (or withdrew from) which version of which text, when and how."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records")
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.text} {self.decision} by {self.user}"


class Invitation(Sensitive, BaseModel):
    """An org admin's invitation to a staff role, accepted through a link sent by email."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(role=Role.MEMBER), name="accounts_invitation_staff_only"
            ),
        )

    def __str__(self) -> str:
        return f"Invitation for {self.get_role_display()}"
