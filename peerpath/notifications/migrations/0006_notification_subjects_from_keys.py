# Notifications written before they named their subject: find it from the idempotency key the
# sending app used ("booking:<public id>:...", "saved-search:<public id>:..."), so that a
# reminder queued before this release is still withdrawn when its booking is cancelled.
# A one-off reading of those apps' old key formats; new notifications name their subject.
# Reversible: going back, 0005 drops the subject columns, so there is nothing to undo here.

import uuid

from django.db import migrations

PREFIXES = {
    "booking": ("bookings", "Booking", "bookings.booking"),
    "saved-search": ("directory", "SavedSearch", "directory.savedsearch"),
}
CHUNK = 1000


def _public_id(key):
    try:
        return uuid.UUID(key.split(":")[1])
    except (IndexError, ValueError):
        return None


def forward(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    for prefix, (app_label, model_name, label) in PREFIXES.items():
        model = apps.get_model(app_label, model_name)
        rows = notification.objects.filter(
            subject_type="", idempotency_key__startswith=f"{prefix}:"
        ).values_list("pk", "idempotency_key")
        by_public_id = {}
        for pk, key in rows.iterator(chunk_size=CHUNK):
            public_id = _public_id(key)
            if public_id is not None:
                by_public_id.setdefault(public_id, []).append(pk)
        public_ids = list(by_public_id)
        for start in range(0, len(public_ids), CHUNK):
            chunk = public_ids[start : start + CHUNK]
            for public_id, subject_pk in model.objects.filter(public_id__in=chunk).values_list(
                "public_id", "pk"
            ):
                notification.objects.filter(pk__in=by_public_id[public_id]).update(
                    subject_type=label, subject_id=str(subject_pk)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_notification_subject"),
        ("bookings", "0001_initial"),
        ("directory", "0004_register_and_saved_searches"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=True),
    ]
