"""Settings for the test suite: the site's own settings with local defaults."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="sel-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# pytest-django turns DEBUG off, which would make WhiteNoise expect collected static files.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
