# Old job states to the shared outbox states: "done" is now "sent", "dead" is now "failed".
# Reversible: going back maps them home again ("skipped", never used for jobs, goes to "dead").

from django.db import migrations

FORWARD = {"done": "sent", "dead": "failed"}
BACKWARD = {"sent": "done", "failed": "dead", "skipped": "dead"}


def _rename(apps, mapping):
    job = apps.get_model("jobs", "Job")
    for old, new in mapping.items():
        job.objects.filter(status=old).update(status=new)


def forward(apps, schema_editor):
    _rename(apps, FORWARD)


def backward(apps, schema_editor):
    _rename(apps, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_outbox_states"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
