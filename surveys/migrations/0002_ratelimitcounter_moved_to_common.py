from django.db import migrations


class Migration(migrations.Migration):
    """RateLimitCounter now lives in common (its table and rows went with it: see common/0001)."""

    dependencies = [
        ("surveys", "0001_initial"),
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="RateLimitCounter")]),
    ]
