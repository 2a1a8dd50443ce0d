import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from partnerships.models import Partnership, Plan
from partnerships.seed.loader import load_partnerships
from tests.factories import make_document, make_organisation, make_partnership, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    load_partnerships()


def test_home_lists_every_partnership_and_the_strategy(client, seeded):
    response = client.get("/")
    for name in [
        "Healthier Greenwich Alliance",
        "Lewisham Health and Care Partners",
        "Partnership Southwark",
        "Our Healthier South East London",
    ]:
        assertContains(response, name)
    assertContains(response, 'href="/greenwich/"')
    assertContains(response, "The South East London strategy")


def test_greenwich_page_shows_members_with_roles_aims_and_plans(client, seeded):
    response = client.get("/greenwich/")
    assertContains(response, "<h1>Healthier Greenwich Alliance</h1>", html=True)
    assertContains(response, "Oxleas NHS Foundation Trust")
    assertContains(response, "Community Services and Mental Health provider")
    assertContains(response, "METRO GAVS")
    assertContains(response, "Health &amp; Wellbeing Board")
    assertContains(response, "Empower people to take better care of their own health")
    assertContains(response, 'href="/greenwich/plans/recovery-and-reset-plan/"')
    assertContains(response, "Russell Cartwright")
    assertContains(response, "Integrated care in every community")
    member_rows = response.content.decode().count('<th scope="row" class="nhsuk-table__header" role="rowheader">')
    assert member_rows == 8


def test_lewisham_page_lists_its_six_partners(client, seeded):
    response = client.get("/lewisham/")
    for name in [
        "NHS Lewisham Clinical Commissioning Group",
        "Lewisham Council",
        "One Health Lewisham",
        "South London and Maudsley NHS Foundation Trust",
        "Lewisham and Greenwich NHS Trust",
        "Lewisham Local Medical Committee",
    ]:
        assertContains(response, name)


def test_southwark_page_explains_its_pause_and_history(client, seeded):
    response = client.get("/southwark/")
    assertContains(response, "an amazing place to be born")
    assertContains(response, "May 2019")
    assertContains(response, "paused Partnership Southwark arrangements in March 2020")
    assertContains(response, "Partnership Southwark recovery plan")


def test_strategy_page_lists_boroughs_focus_areas_and_case_for_change(client, seeded):
    response = client.get("/our-healthier-south-east-london/")
    for borough in ["Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"]:
        assertContains(response, borough)
    for area in ["Community based care", "Maternity", "Urgent and emergency care"]:
        assertContains(response, f"<li>{area}</li>", html=True)
    assertContains(response, "Too many people live with preventable ill health or die too early")
    assertContains(response, '<a href="/greenwich/">Greenwich</a>', html=True)
    assertContains(response, '<h2 id="case-for-change">Why change things?</h2>', html=True, count=1)


def test_plan_page_shows_approval_and_documents_with_type_and_size(client, seeded):
    response = client.get("/southwark/plans/recovery-plan/")
    assertContains(
        response, "September 2020 by NHS South East London Clinical Commissioning Group and Southwark Council"
    )
    assertContains(response, "Full plan, PDF, ")
    assertContains(response, "Summary, PDF, ")
    document = Plan.objects.get(slug="recovery-plan").documents.get(kind="full")
    assertContains(response, f'href="{document.get_absolute_url()}"')


def test_a_pdf_downloads_and_could_never_run_as_a_page_of_the_site(client, seeded):
    document = Plan.objects.get(slug="recovery-plan").documents.first()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_word_documents_download_as_attachments(client, greenwich):
    from tests.partnerships.test_documents import docx_upload

    document = make_document(make_plan(greenwich), file=docx_upload())
    response = client.get(document.get_absolute_url())
    response.close()
    assert response["Content-Disposition"].startswith("attachment")
    assert "wordprocessingml" in response["Content-Type"]


def test_document_with_wrong_filename_in_url_is_not_found(client, greenwich):
    document = make_document(make_plan(greenwich))
    response = client.get(reverse("partnerships:document", kwargs={"pk": document.pk, "filename": "other.pdf"}))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/", "/contact/"])
def test_static_pages_render_inside_the_site_layout(client, seeded, path):
    response = client.get(path)
    assertContains(response, 'class="nhsuk-skip-link"')
    assertContains(response, 'id="maincontent"')
    assertContains(response, "Privacy notice")


def test_contact_page_lists_each_partnerships_contact(client, seeded):
    response = client.get("/contact/")
    assertContains(response, "Russell Cartwright")
    assertContains(response, "https://www.ourhealthiersel.nhs.uk")


def test_unknown_page_is_a_friendly_404(client, seeded):
    response = client.get("/no-such-partnership/")
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, "Go to the home page", status_code=404)


def test_pages_carry_a_strict_content_security_policy(client, seeded):
    response = client.get("/greenwich/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assertNotContains(response, "<script>")
    assertNotContains(response, "style=")


def test_header_navigation_marks_the_current_partnership(client, seeded):
    response = client.get("/lewisham/")
    assertContains(
        response,
        '<a class="nhsuk-header__navigation-link" href="/lewisham/" aria-current="page">'
        '<strong class="nhsuk-header__navigation-item-current-fallback">Lewisham Health and Care Partners</strong></a>',
        html=True,
    )


def test_plan_page_has_breadcrumbs_back_to_its_partnership(client, greenwich):
    make_plan(greenwich, "Winter plan")
    response = client.get("/greenwich/plans/winter-plan/")
    assertContains(
        response, '<a class="nhsuk-breadcrumb__link" href="/greenwich/">Healthier Greenwich Alliance</a>', html=True
    )


def test_video_with_youtube_id_offers_a_link_and_loads_nothing_until_played(client, greenwich):
    from partnerships.models import Video

    Video.objects.create(partnership=greenwich, title="Our plan", youtube_id="abcdefghijk", transcript="Hello")
    response = client.get("/greenwich/")
    assertContains(response, 'data-embed-url="https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"')
    assertContains(response, 'href="https://www.youtube.com/watch?v=abcdefghijk"')
    assertNotContains(response, "<iframe")


def test_page_queries_do_not_grow_with_members_plans_or_documents(client, django_assert_max_num_queries, greenwich):
    def add_content(count: int) -> None:
        for _ in range(count):
            greenwich.memberships.create(organisation=make_organisation())
            plan = make_plan(greenwich)
            make_document(plan)
            greenwich.priorities.create(title="An aim")

    add_content(2)
    # session-less request: partnership (+ borough), boroughs, memberships+organisations, priorities,
    # case for change, videos, plans, navigation.
    with django_assert_max_num_queries(9):
        client.get("/greenwich/")
    add_content(20)
    with django_assert_max_num_queries(9):
        client.get("/greenwich/")


def test_home_queries_do_not_grow_with_partnerships(client, django_assert_max_num_queries, db):
    for _ in range(3):
        make_partnership()
    with django_assert_max_num_queries(4):
        client.get("/")
    for _ in range(30):
        make_partnership()
    with django_assert_max_num_queries(4):
        client.get("/")


def test_plan_page_queries_do_not_grow_with_documents(client, django_assert_max_num_queries, greenwich):
    plan = make_plan(greenwich, "Big plan")
    make_document(plan)
    with django_assert_max_num_queries(8):
        client.get(plan.get_absolute_url())
    for _ in range(15):
        make_document(plan)
        plan.approving_bodies.add(make_organisation())
    with django_assert_max_num_queries(8):
        response = client.get(plan.get_absolute_url())
    assert response.content.decode().count('class="app-document"') == 16


def test_strategy_borough_without_a_published_partnership_is_not_linked(client, db):
    strategy = make_partnership("Strategy", slug="strategy", kind=Partnership.Kind.STRATEGY)
    local = make_partnership("Local", slug="local", publication_status=Partnership.Status.DRAFT)
    strategy.boroughs.add(local.borough)
    response = client.get("/strategy/")
    assertContains(response, f"<li>{local.borough.name}</li>", html=True)
