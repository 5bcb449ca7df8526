"""The words of one-to-one support: how she would like contact, how often, and where a request
and a proposal stand."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    PHONE = "phone", _("Phone calls")
    VIDEO = "video", _("Video calls")
    TEXT = "text", _("Text messages")
    IN_PERSON = "in_person", _("Meeting in person")


REMOTE_MODES = frozenset({Mode.PHONE, Mode.VIDEO, Mode.TEXT})


class Rhythm(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every 2 weeks")
    MONTHLY = "monthly", _("Every month")


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a match")
    PROPOSED = "proposed", _("Waiting for a peer supporter to say yes")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.WAITING, RequestStatus.PROPOSED)


class RequestSource(models.TextChoices):
    HERSELF = "herself", _("She asked")
    SOMEONE_ELSE = "someone_else", _("She asked for someone else")


class ProposalStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for her answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    NO_ROOM = "no_room", _("I do not have room for someone new just now")
    NOT_RIGHT = "not_right", _("I do not think I am the right person for her")
    KNOW_HER = "know_her", _("I know her outside the charity")
    OTHER = "other", _("Another reason (I will tell the coordinator)")
