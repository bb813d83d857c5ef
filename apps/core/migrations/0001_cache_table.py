from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS lector_cache")


class Migration(migrations.Migration):
    """The table of the DatabaseCache (settings.CACHES) that every worker shares: throttle counters live there."""

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
