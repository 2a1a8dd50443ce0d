from django.db import migrations


class Migration(migrations.Migration):
    """SeedRecord now lives in common (its table and rows went with it: see common/0001)."""

    dependencies = [
        ("partnerships", "0001_initial"),
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SeedRecord")]),
    ]
