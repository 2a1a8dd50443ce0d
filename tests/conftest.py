"""Fixtures shared by every test: two partnerships and their personas. Factories are in factories.py."""

import pytest
from django.contrib.auth.models import User

from partnerships.models import Partnership
from tests.factories import make_editor, make_partnership


@pytest.fixture
def greenwich(db) -> Partnership:
    return make_partnership("Healthier Greenwich Alliance", slug="greenwich")


@pytest.fixture
def lewisham(db) -> Partnership:
    return make_partnership("Lewisham Health and Care Partners", slug="lewisham")


@pytest.fixture
def alice(greenwich) -> User:
    """Edits Greenwich only."""
    return make_editor("alice", greenwich)


@pytest.fixture
def bob(lewisham) -> User:
    """Edits Lewisham only."""
    return make_editor("bob", lewisham)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="correct horse battery")
