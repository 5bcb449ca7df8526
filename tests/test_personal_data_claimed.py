"""Every model that refers to a person is claimed by some app's ``privacy.py``: exported in her
copy of everything and erased (or kept, with the reason) when she erases her account.

Forgetting it is a data-protection defect, so a new model with a foreign key to a person fails
this test until its app says what her rights mean for it.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from peerpath.accounts.models import Membership, User
from peerpath.core.privacy import PersonalData, claimed_models, registered

PEOPLE = (User, Membership)


def refers_to_a_person(model: type[models.Model]) -> bool:
    return any(
        getattr(field, "related_model", None) in PEOPLE
        and (field.concrete or field.many_to_many)
        and not field.auto_created
        for field in model._meta.get_fields()
    )


def unclaimed(all_models: list[type[models.Model]], claimed: dict[str, str]) -> list[str]:
    return sorted(
        model._meta.label
        for model in all_models
        if refers_to_a_person(model) and model._meta.label not in claimed
    )


def test_every_model_that_refers_to_a_person_is_claimed_for_export_and_erasure():
    assert unclaimed(apps.get_models(), claimed_models()) == []


@isolate_apps("peerpath.buddying")
def test_a_new_model_pointing_at_a_person_with_no_claim_fails():
    class Diary(models.Model):
        author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "buddying"

        def __str__(self) -> str:
            return "a diary"

    assert unclaimed([*apps.get_models(), Diary], claimed_models()) == ["buddying.Diary"]


def test_every_claim_names_a_real_model_and_every_kept_model_gives_a_reason():
    labels = {model._meta.label for model in apps.get_models()}
    for personal_data in registered():
        assert isinstance(personal_data, PersonalData)
        assert personal_data.claims() <= labels, personal_data.app
        assert all(len(reason) > 20 for reason in personal_data.kept.values())


def test_erasure_runs_the_highest_layer_first_and_accounts_last():
    order = [personal_data.app for personal_data in registered()]
    installed = [config.label for config in apps.get_app_configs() if config.label in order]
    assert order == installed
    assert order[-1] == "checkins"
    assert order.index("accounts") < order.index("bookings")
