# Purposes are registered by the apps that send them (peerpath.notifications.purposes), so the
# field no longer lists them: adding a purpose needs no migration. No change to the database.

from django.db import migrations, models

import peerpath.notifications.purposes


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_session_changed_purpose"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="purpose",
            field=models.CharField(
                max_length=30, validators=[peerpath.notifications.purposes.validate_purpose]
            ),
        ),
    ]
