"""Fixtures shared by every test: two partnerships and their personas. Factories are in factories.py."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from partnerships.models import Partnership
from tests.factories import make_editor, make_partnership, pass_second_factor


@pytest.fixture(autouse=True)
def staff_sign_in_includes_the_second_factor(request, monkeypatch):
    """``client.force_login(staff)`` stands for signing in fully: password and second factor.

    Tests of the second factor itself sign in through the pages (mark them ``password_only``).
    """
    if request.node.get_closest_marker("password_only"):
        return
    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff:
            pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


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
