import datetime

import pytest
from django.utils import timezone

from partnerships.models import Partnership, Plan
from tests.factories import make_document, make_partnership, make_plan

pytestmark = pytest.mark.django_db


def test_draft_partnership_is_not_found_by_the_public(client):
    make_partnership("Secret", slug="secret", publication_status=Partnership.Status.DRAFT)
    assert client.get("/secret/").status_code == 404
    assert "Secret" not in client.get("/").content.decode()


def test_partnership_scheduled_for_the_future_is_not_yet_public(client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    make_partnership("Soon", slug="soon", publish_at=tomorrow)
    assert client.get("/soon/").status_code == 404


def test_draft_plan_is_a_404_and_left_out_of_its_partnership_page(client, greenwich):
    make_plan(greenwich, "Draft thinking", publication_status=Plan.Status.DRAFT)
    assert client.get("/greenwich/plans/draft-thinking/").status_code == 404
    assert "Draft thinking" not in client.get("/greenwich/").content.decode()


def test_documents_of_a_draft_plan_are_not_served_to_the_public(client, greenwich):
    document = make_document(make_plan(greenwich, publication_status=Plan.Status.DRAFT))
    assert client.get(document.get_absolute_url()).status_code == 404


def test_plan_of_a_draft_partnership_is_not_public(client):
    partnership = make_partnership(slug="hidden", publication_status=Partnership.Status.DRAFT)
    make_plan(partnership, "Public plan")
    assert client.get("/hidden/plans/public-plan/").status_code == 404


def test_editor_previews_their_own_draft_plan_with_a_preview_banner(client, alice, greenwich):
    make_plan(greenwich, "Draft thinking", publication_status=Plan.Status.DRAFT)
    client.force_login(alice)
    response = client.get("/greenwich/plans/draft-thinking/")
    assert response.status_code == 200
    assert "This page, or part of it, is not published" in response.content.decode()
    assert "Draft thinking" in client.get("/greenwich/").content.decode()


def test_editor_cannot_preview_another_partnerships_draft(client, bob, greenwich):
    make_plan(greenwich, "Draft thinking", publication_status=Plan.Status.DRAFT)
    client.force_login(bob)
    assert client.get("/greenwich/plans/draft-thinking/").status_code == 404


def test_published_page_has_no_preview_banner(client, alice, greenwich):
    client.force_login(alice)
    assert "not published" not in client.get("/greenwich/").content.decode()
