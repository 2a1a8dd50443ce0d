"""A database created before the shared tables moved to ``common`` migrates forward with its rows."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from common.models import RateLimitCounter, SeedRecord

BEFORE_THE_MOVE = [("common", None)]  # partnerships 0001 and surveys 0001 held the two tables
WINDOW = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def table_names() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_seed_records_and_rate_limit_counters_keep_their_rows_when_they_move_to_common():
    executor = migrate(BEFORE_THE_MOVE)
    try:
        assert {"partnerships_seedrecord", "surveys_ratelimitcounter"} <= table_names()
        old = executor.loader.project_state([("partnerships", "0001_initial"), ("surveys", "0001_initial")]).apps
        old.get_model("partnerships", "SeedRecord").objects.create(key="partnerships:greenwich")
        old.get_model("surveys", "RateLimitCounter").objects.create(
            key="survey-response:abc", window_start=WINDOW, count=3
        )
        assert ContentType.objects.filter(app_label="partnerships", model="seedrecord").exists()
    finally:
        migrate(executor.loader.graph.leaf_nodes())

    assert {"common_seedrecord", "common_ratelimitcounter"} <= table_names()
    assert not {"partnerships_seedrecord", "surveys_ratelimitcounter"} & table_names()
    assert SeedRecord.objects.get().key == "partnerships:greenwich"
    counter = RateLimitCounter.objects.get()
    assert (counter.key, counter.window_start, counter.count) == ("survey-response:abc", WINDOW, 3)
    # Permissions hang off content types, so these moved rather than being made afresh.
    assert ContentType.objects.get_for_model(SeedRecord).app_label == "common"
    assert not ContentType.objects.filter(app_label="partnerships", model="seedrecord").exists()
