# What a notification is about (a booking, a saved search), so the app that sent it can
# withdraw it by that object instead of rebuilding idempotency keys.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_delivery_outbox_row"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["subject_type", "subject_id"], name="notif_subject"),
        ),
    ]
