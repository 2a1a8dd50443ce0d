"""RateLimitCounter (from surveys) and SeedRecord (from partnerships) move here with their rows.

The tables are adopted as they are (state only), then renamed; their content types (and so any
permissions) move with them. A database created before the move keeps every row.
"""

from django.db import migrations, models

MOVED = [("surveys", "ratelimitcounter"), ("partnerships", "seedrecord")]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if not ContentType.objects.filter(app_label="common", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="common")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        ContentType.objects.filter(app_label="common", model=model).update(app_label=old_app)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0001_initial"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitCounter",
                    fields=[
                        ("key", models.CharField(max_length=100, primary_key=True, serialize=False)),
                        ("window_start", models.DateTimeField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={"db_table": "surveys_ratelimitcounter"},
                ),
                migrations.CreateModel(
                    name="SeedRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("key", models.CharField(max_length=100, unique=True)),
                        ("loaded_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "partnerships_seedrecord"},
                ),
            ],
        ),
        migrations.AlterModelTable(name="ratelimitcounter", table=None),
        migrations.AlterModelTable(name="seedrecord", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
