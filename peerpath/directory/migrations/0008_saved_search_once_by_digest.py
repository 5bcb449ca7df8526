"""A search is kept once per person, found by its digest."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_encrypt_saved_searches")]

    operations = [
        migrations.AddConstraint(
            model_name="savedsearch",
            constraint=models.UniqueConstraint(
                fields=("user", "query_digest"), name="directory_saved_search_once"
            ),
        ),
    ]
