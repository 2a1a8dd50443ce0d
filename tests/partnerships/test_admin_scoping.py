import pytest

from partnerships.models import Membership, Plan, Video
from tests.factories import make_document, make_organisation, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def lewisham_plan(lewisham) -> Plan:
    return make_plan(lewisham, "Lewisham secret plan")


@pytest.fixture
def greenwich_plan(greenwich) -> Plan:
    return make_plan(greenwich, "Greenwich plan")


def test_editor_lists_only_their_partnerships_plans(client, alice, greenwich_plan, lewisham_plan):
    client.force_login(alice)
    page = client.get("/admin/partnerships/plan/").content.decode()
    assert "Greenwich plan" in page
    assert "Lewisham secret plan" not in page


@pytest.mark.parametrize("action", ["change", "history", "delete"])
def test_editor_cannot_reach_another_partnerships_plan_by_url(client, alice, lewisham_plan, action):
    client.force_login(alice)
    response = client.get(f"/admin/partnerships/plan/{lewisham_plan.pk}/{action}/", follow=True)
    assert "Lewisham secret plan" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"


def test_editor_cannot_change_another_partnerships_plan_by_posting(client, alice, lewisham_plan):
    client.force_login(alice)
    client.post(f"/admin/partnerships/plan/{lewisham_plan.pk}/change/", {"title": "Hijacked"})
    lewisham_plan.refresh_from_db()
    assert lewisham_plan.title == "Lewisham secret plan"


def test_editor_cannot_add_a_plan_to_another_partnership(client, alice, lewisham, greenwich):
    client.force_login(alice)
    add_page = client.get("/admin/partnerships/plan/add/").content.decode()
    assert greenwich.name in add_page and lewisham.name not in add_page
    response = client.post(
        "/admin/partnerships/plan/add/",
        {
            "partnership": lewisham.pk,
            "title": "Sneaky",
            "slug": "sneaky",
            "summary": "s",
            "publication_status": "draft",
            "publish_at_0": "01/01/2026",
            "publish_at_1": "09:00:00",
            "stage": "draft",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Plan.objects.filter(title="Sneaky").exists()


def test_editor_adds_a_plan_to_their_own_partnership(client, alice, greenwich):
    client.force_login(alice)
    response = client.post(
        "/admin/partnerships/plan/add/",
        {
            "partnership": greenwich.pk,
            "title": "Winter plan",
            "slug": "winter-plan",
            "summary": "How we get through winter",
            "publication_status": "draft",
            "publish_at_0": "01/01/2026",
            "publish_at_1": "09:00:00",
            "stage": "draft",
            "body": "<p>Hello</p><script>alert('x')</script>",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(slug="winter-plan")
    assert plan.partnership == greenwich
    assert plan.body == "<p>Hello</p>"


def test_editor_sees_and_changes_only_their_own_partnership(client, alice, greenwich, lewisham):
    client.force_login(alice)
    listing = client.get("/admin/partnerships/partnership/").content.decode()
    assert greenwich.name in listing and lewisham.name not in listing
    assert client.get(f"/admin/partnerships/partnership/{greenwich.pk}/change/").status_code == 200
    response = client.get(f"/admin/partnerships/partnership/{lewisham.pk}/change/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"


def test_editor_cannot_add_partnerships_or_choose_editors(client, alice, greenwich):
    client.force_login(alice)
    assert client.get("/admin/partnerships/partnership/add/").status_code == 403
    change_page = client.get(f"/admin/partnerships/partnership/{greenwich.pk}/change/").content.decode()
    assert 'name="editors"' not in change_page


def test_editor_sees_documents_and_videos_only_of_their_partnership(client, alice, greenwich, lewisham):
    make_document(make_plan(lewisham), title="Lewisham paper")
    Video.objects.create(partnership=lewisham, title="Lewisham film", transcript="t")
    Video.objects.create(partnership=greenwich, title="Greenwich film", transcript="t")
    client.force_login(alice)
    videos = client.get("/admin/partnerships/video/").content.decode()
    assert "Greenwich film" in videos and "Lewisham film" not in videos


def test_editor_sees_organisations_of_their_partnership_and_unattached_ones(client, alice, greenwich, lewisham):
    Membership.objects.create(partnership=greenwich, organisation=make_organisation("Oxleas"))
    Membership.objects.create(partnership=lewisham, organisation=make_organisation("One Health Lewisham"))
    shared = make_organisation("Lewisham and Greenwich NHS Trust")
    Membership.objects.create(partnership=greenwich, organisation=shared)
    Membership.objects.create(partnership=lewisham, organisation=shared)
    make_organisation("New voluntary group")
    client.force_login(alice)
    listing = client.get("/admin/partnerships/organisation/").content.decode()
    assert "Oxleas" in listing and "Lewisham and Greenwich NHS Trust" in listing
    assert "New voluntary group" in listing
    assert "One Health Lewisham" not in listing


def test_superuser_sees_every_partnerships_plans(client, superuser, greenwich_plan, lewisham_plan):
    client.force_login(superuser)
    page = client.get("/admin/partnerships/plan/").content.decode()
    assert "Greenwich plan" in page and "Lewisham secret plan" in page


def test_staff_without_a_partnership_see_no_plans(client, greenwich_plan):
    from tests.factories import make_editor

    client.force_login(make_editor("nobody"))
    assert "Greenwich plan" not in client.get("/admin/partnerships/plan/").content.decode()


def test_plan_admin_list_queries_do_not_grow_with_plans(client, alice, greenwich, django_assert_max_num_queries):
    client.force_login(alice)
    make_plan(greenwich)
    with django_assert_max_num_queries(12):
        client.get("/admin/partnerships/plan/")
    for _ in range(20):
        make_plan(greenwich)
    with django_assert_max_num_queries(12):
        client.get("/admin/partnerships/plan/")


def test_plan_list_filter_offers_only_the_editors_partnerships(client, alice, greenwich, lewisham):
    from tests.factories import make_partnership

    second = make_partnership("Bexley partnership")
    second.editors.add(alice)
    client.force_login(alice)
    page = client.get("/admin/partnerships/plan/").content.decode()
    assert f"partnership__id__exact={greenwich.pk}" in page and f"partnership__id__exact={second.pk}" in page
    assert f"partnership__id__exact={lewisham.pk}" not in page
