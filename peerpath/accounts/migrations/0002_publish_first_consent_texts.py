"""Publish version 1 of the privacy notice summary and the health-information consent."""

from django.db import migrations
from django.utils import timezone

PRIVACY_NOTICE = (
    "We keep the details you give us (your email address, the name others see, how you like to "
    "be contacted) so that we can support you. Only the people who organise and give support "
    "at your organisation can see them, and every time someone opens your records it is "
    "recorded. We never sell or share your information. You can download everything we hold "
    "about you, or ask us to delete it, at any time from your account."
)
HEALTH_DATA = (
    "We will use what you tell us about your pregnancy, your baby and your health (such as "
    "your due date, your baby's date of birth and experiences you choose to share) only to "
    "offer you support that fits you: groups at the right stage, and a peer supporter who has "
    "been through something similar. Only you, the coordinators who organise support, and a "
    "peer supporter matched with you can see it. We do not share it with anyone else unless "
    "you ask us to, or we are seriously worried that you, your baby or someone else is at risk "
    "of serious harm. You can withdraw this at any time: we will then delete those details "
    "from your profile, and your account stays open."
)


def publish(apps, schema_editor):
    ConsentText = apps.get_model("accounts", "ConsentText")
    now = timezone.now()
    for kind, title, body in (
        ("privacy_notice", "How we use your information", PRIVACY_NOTICE),
        ("health_data", "Using information about your health and pregnancy", HEALTH_DATA),
    ):
        ConsentText.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={"title": title, "body": body, "published_at": now},
        )


def unpublish(apps, schema_editor):
    ConsentText = apps.get_model("accounts", "ConsentText")
    ConsentText.objects.filter(version=1, records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(publish, unpublish)]
