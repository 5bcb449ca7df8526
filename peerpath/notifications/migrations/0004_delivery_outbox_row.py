# Deliveries build on the shared leased-outbox row (peerpath.jobs.outbox): the same states
# (their values are unchanged for deliveries), "finished_at" for "sent_at", and a claimed
# delivery always has a lease.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_purpose_from_registry"),
    ]

    operations = [
        migrations.RenameField(
            model_name="delivery",
            old_name="sent_at",
            new_name="finished_at",
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting"),
                    ("running", "In progress"),
                    ("sent", "Done"),
                    ("skipped", "Not needed"),
                    ("failed", "Failed for good"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "running"), _negated=True),
                    ("lease_until__isnull", False),
                    _connector="OR",
                ),
                name="notifications_delivery_running_has_lease",
            ),
        ),
    ]
