from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The shared cache's table, when the cache is PostgreSQL (nothing to do with Redis). Idempotent."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
