# Jobs share the leased-outbox states with notification deliveries (peerpath.jobs.outbox).
# Choices only: no change to the database. The data follows in 0004.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_job_organisation_and_periodic_schedule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="job",
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
    ]
