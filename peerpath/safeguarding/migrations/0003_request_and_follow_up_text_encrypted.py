"""What she typed about when to call her (``Alert.contact_preference``) and what a follow-up
says (``FollowUp.description``) become text columns, holding Fernet tokens after 0004. The
log gains "She asked again", and its base manager refuses changes like its default one."""

from django.db import migrations, models

import peerpath.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0002_alerts_rota"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="alertaction",
            options={"base_manager_name": "objects", "ordering": ("created_at", "pk")},
        ),
        migrations.AlterField(
            model_name="alert",
            name="contact_preference",
            field=peerpath.core.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="alertaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("raised", "Raised"),
                    ("paged", "Paged"),
                    ("rota_gap", "Nobody on the rota"),
                    ("waiting", "Waiting for staffed hours"),
                    ("acknowledged", "Acknowledged"),
                    ("note", "Note"),
                    ("contact", "Contact with her"),
                    ("message", "Message sent to her"),
                    ("handed_over", "Handed over"),
                    ("follow_up", "Follow-up set"),
                    ("follow_up_done", "Follow-up done"),
                    ("debrief", "Debrief due"),
                    ("overdue", "Escalation overdue"),
                    ("reminded", "Owner reminded"),
                    ("asked_again", "She asked again"),
                    ("closed", "Closed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="description",
            field=peerpath.core.fields.EncryptedTextField(verbose_name="what needs doing"),
        ),
    ]
