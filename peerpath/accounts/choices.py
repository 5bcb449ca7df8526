"""Fixed lists people choose from. Labels are translatable; keys are stored."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")
    MODERATOR = "moderator", _("Moderator")
    COORDINATOR = "coordinator", _("Coordinator")
    ORG_ADMIN = "org_admin", _("Organisation admin")


STAFF_ROLES = frozenset({Role.PEER_SUPPORTER, Role.MODERATOR, Role.COORDINATOR, Role.ORG_ADMIN})
INVITABLE_ROLES = (Role.PEER_SUPPORTER, Role.MODERATOR, Role.COORDINATOR, Role.ORG_ADMIN)


class Stage(models.TextChoices):
    PREGNANT = "pregnant", _("I am pregnant")
    BABY_BORN = "baby_born", _("My baby has been born")
    NOT_SAID = "not_said", _("I would rather not say")


# How staff pages describe her stage (the choices above are in her own voice).
STAGE_FOR_STAFF: dict[str, Any] = {
    Stage.PREGNANT: _("Pregnant"),
    Stage.BABY_BORN: _("Baby born"),
    Stage.NOT_SAID: _("Not said"),
}


class Experience(models.TextChoices):
    BIRTH_TRAUMA = "birth_trauma", _("A difficult or traumatic birth")
    HYPEREMESIS = "hyperemesis", _("Severe sickness in pregnancy (hyperemesis)")
    NICU = "nicu", _("A stay in neonatal care (NICU)")
    BABY_LOSS = "baby_loss", _("Baby loss")
    FEEDING = "feeding", _("Feeding difficulties")
    PREVIOUS_MENTAL_ILLNESS = "previous_mental_illness", _("Mental illness before this pregnancy")
    YOUNG_PARENT = "young_parent", _("Being a young mum")
    DAD_OR_PARTNER = "dad_or_partner", _("Being a dad or partner")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")
    BSL = "bsl", _("British Sign Language")
    ARABIC = "ar", _("Arabic")
    BENGALI = "bn", _("Bengali")
    POLISH = "pl", _("Polish")
    PORTUGUESE = "pt", _("Portuguese")
    PUNJABI = "pa", _("Punjabi")
    ROMANIAN = "ro", _("Romanian")
    SOMALI = "so", _("Somali")
    SPANISH = "es", _("Spanish")
    URDU = "ur", _("Urdu")


class ContactMethod(models.TextChoices):
    IN_APP = "in_app", _("Messages in PeerPath")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")
    PHONE = "phone", _("Phone call")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
)
