"""The words the directory is searched by."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PEER_GROUP = "peer_group", _("Peer support group")
    ACTIVITY_GROUP = "activity_group", _("Activity group")
    DROP_IN = "drop_in", _("Drop-in")
    ONLINE_GROUP = "online_group", _("Online group")
    ONE_TO_ONE = "one_to_one", _("One-to-one peer support")
    HELPLINE = "helpline", _("Helpline")
    GP = "gp", _("GP")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    TALKING_THERAPIES = "talking_therapies", _("NHS Talking Therapies")
    PERINATAL_TEAM = "perinatal_team", _("Perinatal mental health team")
    MATERNAL_MENTAL_HEALTH = "maternal_mental_health", _("Maternal mental health service")
    OTHER = "other", _("Other support")


FORMAL_ROUTES = frozenset(
    {
        Kind.GP,
        Kind.HEALTH_VISITOR,
        Kind.TALKING_THERAPIES,
        Kind.PERINATAL_TEAM,
        Kind.MATERNAL_MENTAL_HEALTH,
    }
)


class ForWhom(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant")
    BABY_0_12 = "baby_0_12", _("Baby up to 12 months")
    BABY_12_24 = "baby_12_24", _("Child 12 to 24 months")
    PARTNERS = "partners", _("Partners and dads")


class Family(models.TextChoices):
    BABIES_WELCOME = "babies_welcome", _("Babies welcome")
    SIBLINGS_WELCOME = "siblings_welcome", _("Older children welcome")
    BUGGY_ACCESS = "buggy_access", _("Buggy access")
    FEEDING_FRIENDLY = "feeding_friendly", _("Feeding-friendly")
    CHANGING = "changing", _("Baby changing")
    CRECHE = "creche", _("Crèche")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Mornings (before 12)")
    AFTERNOON = "afternoon", _("Afternoons (12 to 5)")
    EVENING = "evening", _("Evenings (after 5)")


def time_of_day(hour: int) -> str:
    if hour < 12:  # noqa: PLR2004
        return TimeOfDay.MORNING
    if hour < 17:  # noqa: PLR2004
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING
