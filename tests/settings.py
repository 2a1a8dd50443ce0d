"""Settings for the test suite: the site's own settings with local defaults."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="sel-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once, inside the test; tests that look at what was queued switch to the DummyBackend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "exports"]}}
EXPORTS_ROOT = tempfile.mkdtemp(prefix="sel-test-exports-")
STORAGES = {**STORAGES, "exports": {**STORAGES["exports"], "OPTIONS": {"location": EXPORTS_ROOT, "base_url": None}}}  # noqa: F405
SITE_URL = "https://consult.example.org"
# pytest-django turns DEBUG off, which would make WhiteNoise expect collected static files.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Pages are made afresh in tests, which change data and look again inside one transaction (whose
# commit would forget cached pages). tests/common/test_page_cache.py turns the cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Every lookup goes to the shared cache, unless a test of the processes' own copies says otherwise.
PUBLIC_PAGE_LOCAL_SECONDS = 0
