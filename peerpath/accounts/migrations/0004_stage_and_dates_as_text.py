"""The stage and the two dates become text columns, holding Fernet tokens after 0005."""

from django.db import migrations

import peerpath.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_remove_settings_nothing_reads"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="memberprofile",
            name="accounts_memberprofile_pregnant_has_no_birth_date",
        ),
        migrations.AlterField(
            model_name="memberprofile",
            name="baby_birth_date",
            field=peerpath.core.fields.EncryptedDateField(
                blank=True, null=True, verbose_name="baby's date of birth"
            ),
        ),
        migrations.AlterField(
            model_name="memberprofile",
            name="due_date",
            field=peerpath.core.fields.EncryptedDateField(
                blank=True, null=True, verbose_name="due date"
            ),
        ),
        migrations.AlterField(
            model_name="memberprofile",
            name="stage",
            field=peerpath.core.fields.EncryptedTextField(
                blank=True,
                choices=[
                    ("pregnant", "I am pregnant"),
                    ("baby_born", "My baby has been born"),
                    ("not_said", "I would rather not say"),
                ],
                default="",
                verbose_name="stage",
            ),
        ),
    ]
