import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.database import database_settings
from config.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "consult.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://consult.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_CONTACT_EMAIL": "consultations@selondon.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; production never has it.
    ignored = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_mode_refuses_the_default_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_setting_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG")


def test_bad_number_setting_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 587)


def test_database_url_must_be_postgresql(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="must point at PostgreSQL"):
        database_settings("sqlite:///db.sqlite3", tmp_path, conn_max_age=0)


def test_database_url_is_used_when_set(tmp_path):
    config = database_settings("postgres://user:pw@db.internal:6543/consult", tmp_path, conn_max_age=60)
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 6543, "consult", "user")
    assert config["CONN_MAX_AGE"] == 60


def test_connections_give_up_quickly_and_web_statements_are_stopped_before_gunicorn_would_kill_them(tmp_path):
    config = database_settings(
        "postgres://db.internal/consult", tmp_path, conn_max_age=60, connect_timeout=3, statement_timeout=20
    )
    assert config["CONN_HEALTH_CHECKS"] is True  # a connection broken by a restart is replaced
    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=20s"
    plain = database_settings("postgres://db.internal/consult", tmp_path, conn_max_age=60)
    assert "connect_timeout" not in plain["OPTIONS"] and "statement_timeout" not in plain["OPTIONS"]["options"]


def test_gunicorn_sets_the_web_statement_timeout_under_its_own():
    result = subprocess.run(
        [sys.executable, "-c", "import runpy, os; c = runpy.run_path('gunicorn.conf.py'); "
         "print(c['timeout'], os.environ['DATABASE_STATEMENT_TIMEOUT'])"],
        capture_output=True, text=True, cwd=ROOT, env={k: v for k, v in os.environ.items()
                                                       if k != "DATABASE_STATEMENT_TIMEOUT"},
    )  # fmt: skip
    assert result.stdout.split() == ["30", "20"]


def test_uploads_can_go_to_another_storage_by_setting_alone():
    show = "from django.conf import settings; print(settings.STORAGES['default'])"
    result = manage(
        "shell", "-c", show,
        env={"DEBUG": "1", "MEDIA_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
             "MEDIA_STORAGE_OPTIONS": '{"bucket_name": "sel-media", "endpoint_url": "https://s3.example.org"}'},
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == (
        "{'BACKEND': 'storages.backends.s3.S3Storage', "
        "'OPTIONS': {'bucket_name': 'sel-media', 'endpoint_url': 'https://s3.example.org'}}"
    )


@pytest.mark.parametrize("threshold", ["0", "1", "4", "7"])
def test_a_small_number_threshold_that_would_weaken_suppression_is_refused_at_start_up(threshold):
    result = manage("check", env={"DEBUG": "1", "SMALL_NUMBER_THRESHOLD": threshold})
    assert result.returncode != 0
    assert "SMALL_NUMBER_THRESHOLD must be 5 or more and a multiple of 5" in result.stderr
    assert f"got {threshold}" in result.stderr


def test_a_larger_threshold_is_accepted():
    result = manage("check", env={"DEBUG": "1", "SMALL_NUMBER_THRESHOLD": "20"})
    assert result.returncode == 0, result.stderr


def test_production_cookies_are_bound_to_the_host_and_https_only():
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        env=PRODUCTION_ENV,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[-4:] == ["__Host-sessionid", "__Host-csrftoken", "True", "True"]


def test_production_refuses_to_start_without_the_sites_inbox():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_CONTACT_EMAIL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_CONTACT_EMAIL must be set when DEBUG is off" in result.stderr
