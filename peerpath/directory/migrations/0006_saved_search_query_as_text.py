"""Saved searches: the query and its description become text columns (Fernet tokens after
0008), found again by a keyed digest instead of the query itself."""

from django.db import migrations, models

import peerpath.core.fields


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_search_reads_sessions_in_time_order")]

    operations = [
        migrations.RemoveConstraint(model_name="savedsearch", name="directory_saved_search_once"),
        migrations.AddField(
            model_name="savedsearch",
            name="query_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="savedsearch",
            name="query",
            field=peerpath.core.fields.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="savedsearch",
            name="description",
            field=peerpath.core.fields.EncryptedTextField(),
        ),
    ]
