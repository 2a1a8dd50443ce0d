"""Anonymous visitors get public pages from the shared cache; any change staff make forgets them."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from common import page_cache
from common.page_cache import VERSION_KEY, cache_public_page
from partnerships.models import Organisation, Plan
from tests.factories import make_consultation, make_event, make_item, make_plan, make_question, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    page_cache.near_copies.clear()


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """A change staff make, committed (the cache is forgotten only once it is)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_second_anonymous_visit_is_served_from_the_cache_in_one_query(client, greenwich, django_assert_num_queries):
    make_plan(greenwich, "Winter plan")
    first = client.get("/greenwich/")
    assertContains(first, "Winter plan")
    # The cache's one lookup (the page and the version together), nothing else.
    with django_assert_num_queries(1):
        second = client.get("/greenwich/")
    assert second.content == first.content
    # A HEAD is served from it too.
    with django_assert_num_queries(1):
        assert client.head("/greenwich/").status_code == 200


def test_pages_made_from_a_template_response_are_stored_once_rendered(client, greenwich, django_assert_num_queries):
    first = client.get("/accessibility/")
    assert first.status_code == 200
    with django_assert_num_queries(1):
        second = client.get("/accessibility/")
    assert second.content == first.content


def test_cached_pages_cost_the_same_however_much_content_there_is(client, greenwich, django_assert_num_queries):
    client.get("/news/")
    for number in range(30):
        make_item(greenwich, title=f"Item {number}")
    cache.clear()
    client.get("/news/")
    with django_assert_num_queries(1):
        assertContains(client.get("/news/"), "Item 29")


def test_a_signed_in_editor_is_never_served_a_cached_page(client, greenwich, alice):
    make_plan(greenwich, "Draft plan", publication_status=Plan.Status.DRAFT)
    assertNotContains(client.get("/greenwich/"), "Draft plan")  # cached for the public
    client.force_login(alice)
    page = client.get("/greenwich/")
    assertContains(page, "Draft plan")  # their preview, made for them
    client.logout()
    assertNotContains(client.get("/greenwich/"), "Draft plan")


def test_a_resident_part_way_through_a_survey_gets_pages_made_for_them(client, greenwich):
    client.get("/greenwich/")
    client.cookies["sessionid"] = "some-session"
    make_plan(greenwich, "Late plan")  # not committed: a cached page would not show it
    assertContains(client.get("/greenwich/"), "Late plan")


def test_an_editors_preview_is_never_stored(client, greenwich, alice):
    plan = make_plan(greenwich, "Draft plan", publication_status=Plan.Status.DRAFT)
    client.force_login(alice)
    client.cookies.pop("sessionid")  # as if the page were asked for without the session...
    client.get(plan.get_absolute_url())  # ...it is "not found" for the public, so nothing is stored
    assert not any(cache.get(key) for key in cache_keys())


@pytest.mark.parametrize(
    "make_the_change, shows",
    [
        (lambda p: make_plan(p, "New plan"), "New plan"),
        (lambda p: rename(p.plans.get(slug="old-plan"), "Renamed plan"), "Renamed plan"),
        (lambda p: make_consultation(p, "New consultation"), "New consultation"),
        (lambda p: make_item(p, title="New news"), "New news"),
        (lambda p: make_event(p, title="New event"), "New event"),
        (lambda p: setattr(p, "summary", "A new summary") or p.save(), "A new summary"),
        (lambda p: p.memberships.create(organisation=Organisation.objects.create(name="New member")), "New member"),
    ],
    ids=["plan added", "plan changed", "consultation", "news", "event", "partnership", "member added"],
)
def test_every_kind_of_change_staff_make_forgets_the_cached_pages(client, greenwich, change, make_the_change, shows):
    make_plan(greenwich, "Old plan")
    for url in ["/", "/greenwich/", "/news/", "/events/"]:
        client.get(url)
    with change():
        make_the_change(greenwich)
    pages = [client.get(url).content.decode() for url in ["/", "/greenwich/", "/news/", "/events/"]]
    assert any(shows in page for page in pages)


def rename(plan, title):
    plan.title = title
    plan.save()


def test_deleting_forgets_the_cached_pages_too(client, greenwich, change):
    plan = make_plan(greenwich, "Doomed plan")
    assertContains(client.get("/greenwich/"), "Doomed plan")
    with change():
        plan.delete()
    assertNotContains(client.get("/greenwich/"), "Doomed plan")


def test_changing_a_survey_question_forgets_the_consultation_page(client, greenwich, change):
    consultation = make_consultation(greenwich, "Winter plan")
    section = make_survey(consultation).sections.create(title="Your views", order=1)
    client.get(consultation.get_absolute_url())
    version = cache.get(VERSION_KEY)
    with change():
        make_question(section, "agree", "agreement")
    assert cache.get(VERSION_KEY) != version


def test_a_change_not_yet_committed_forgets_nothing(client, greenwich):
    client.get("/greenwich/")
    version = cache.get(VERSION_KEY)
    make_plan(greenwich, "Uncommitted plan")  # in the test's transaction, never committed
    assert cache.get(VERSION_KEY) == version


def test_responses_do_not_forget_the_cached_pages(client, greenwich, change):
    from tests.factories import respond

    consultation = make_consultation(greenwich, "Winter plan")
    survey = make_survey(consultation)
    make_question(survey.sections.create(title="Views", order=1), "agree", "agreement")
    client.get(consultation.get_absolute_url())
    version = cache.get(VERSION_KEY)
    with change():
        respond(survey, agree="agree")
    assert cache.get(VERSION_KEY) == version


def view_that(response_factory):
    return cache_public_page(lambda request: response_factory())


def test_pages_that_set_cookies_or_vary_on_them_are_not_stored():
    factory = RequestFactory()

    def with_cookie():
        response = HttpResponse("hello")
        response.set_cookie("csrftoken", "x")
        return response

    def varying():
        response = HttpResponse("hello")
        response["Vary"] = "Cookie"
        return response

    for make in [with_cookie, varying, lambda: HttpResponse("nope", status=404)]:
        cache.clear()
        calls = []
        view = view_that(lambda make=make, calls=calls: calls.append(1) or make())
        view(factory.get("/page/"))
        view(factory.get("/page/"))
        assert len(calls) == 2


def test_a_page_holding_a_form_token_is_never_stored():
    from django.middleware.csrf import get_token

    calls = []

    def with_form(request):
        calls.append(1)
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    view = cache_public_page(with_form)
    view(RequestFactory().get("/form/"))
    view(RequestFactory().get("/form/"))
    assert len(calls) == 2


def test_only_page_numbers_share_a_cached_page_any_other_query_is_made_afresh():
    factory = RequestFactory()
    calls = []
    view = view_that(lambda: calls.append(1) or HttpResponse(f"call {len(calls)}"))
    assert view(factory.get("/news/", {"page": "2"})).content == b"call 1"
    assert view(factory.get("/news/", {"page": "2"})).content == b"call 1"
    assert view(factory.get("/news/", {"page": "3"})).content == b"call 2"
    for query in [{"utm_source": "x"}, {"page": "two"}, {"page": ["2", "3"]}]:
        view(factory.get("/news/", query))
        view(factory.get("/news/", query))
    assert len(calls) == 8
    assert view(factory.post("/news/")).content == b"call 9"


def test_the_cache_can_be_turned_off(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    calls = []
    view = view_that(lambda: calls.append(1) or HttpResponse("x"))
    view(RequestFactory().get("/"))
    view(RequestFactory().get("/"))
    assert len(calls) == 2


def cache_keys() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache WHERE cache_key LIKE %s", ["%public-page:%"])
        return [key.split(":", 2)[-1] for (key,) in cursor.fetchall()]


def test_search_results_are_shared_by_their_words_which_the_keys_never_hold(client, greenwich):
    make_plan(greenwich, "Winter plan", body="<p>Lumbago clinics.</p>")
    assertContains(client.get("/search/", {"q": "lumbago"}), "Winter plan")
    keys = cache_keys()
    assert len(keys) == 1 and "lumbago" not in keys[0]
    make_plan(greenwich, "Spring plan", body="<p>Lumbago clinics.</p>")  # not committed: not seen if cached
    assertNotContains(client.get("/search/", {"q": "lumbago"}), "Spring plan")
    assertContains(client.get("/search/", {"q": "lumbago clinics"}), "Spring plan")  # other words: afresh


class Clock:
    """Stands in for the time module inside common.page_cache, so seconds can pass at once."""

    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now

    def monotonic(self):
        return self.now

    def passes(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 1
    clock = Clock()
    monkeypatch.setattr(page_cache, "time", clock)
    return clock


def test_a_process_serves_its_own_copy_of_a_popular_page_without_asking_the_shared_cache(
    client, greenwich, clock, django_assert_num_queries
):
    first = client.get("/greenwich/")
    with django_assert_num_queries(1):  # copied from the shared cache into this process
        client.get("/greenwich/")
    with django_assert_num_queries(0):
        again = client.get("/greenwich/")
    assert again.content == first.content
    clock.passes(1)
    with django_assert_num_queries(1):  # a second later, this process asks whether anything changed
        client.get("/greenwich/")


def test_a_change_made_in_this_process_is_seen_at_once(client, greenwich, clock, change):
    client.get("/greenwich/")
    client.get("/greenwich/")
    with change():
        make_plan(greenwich, "Spring plan")
    assertContains(client.get("/greenwich/"), "Spring plan")


def test_a_change_made_in_another_process_is_seen_here_within_a_second(client, greenwich, clock):
    client.get("/greenwich/")
    client.get("/greenwich/")
    make_plan(greenwich, "Spring plan")
    cache.set(VERSION_KEY, "changed by another app server", timeout=None)  # what its commit does
    assertNotContains(client.get("/greenwich/"), "Spring plan")
    clock.passes(1)
    assertContains(client.get("/greenwich/"), "Spring plan")


def test_a_copy_never_outlives_the_shared_page_it_came_from(clock, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 3600  # even trusting the version for an hour
    calls = []
    view = view_that(lambda: calls.append(1) or HttpResponse(f"call {len(calls)}"))
    view(RequestFactory().get("/"))
    assert view(RequestFactory().get("/")).content == b"call 1"
    clock.passes(59)
    assert view(RequestFactory().get("/")).content == b"call 1"
    clock.passes(1)
    assert view(RequestFactory().get("/")).content == b"call 2"


def test_a_process_keeps_copies_of_a_bounded_number_of_pages():
    copies = page_cache.NearCopies(size=3)
    for number in range(5):
        copies.keep(f"page {number}", "v1", float("inf"), b"x")
    assert list(copies.pages) == ["page 2", "page 3", "page 4"]
    copies.page("page 2", "v1")  # the page just served is the last to go
    copies.keep("page 5", "v1", float("inf"), b"x")
    assert list(copies.pages) == ["page 4", "page 2", "page 5"]


def test_while_the_shared_cache_is_unreachable_copies_are_served_and_other_pages_made_afresh(
    client, greenwich, clock, monkeypatch, change
):
    first = client.get("/greenwich/")
    client.get("/greenwich/")  # now a copy in this process

    def unreachable(keys):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(page_cache.cache, "get_many", unreachable)
    monkeypatch.setattr(page_cache.cache, "set", lambda *args, **kwargs: unreachable(args))
    clock.passes(5)
    assert client.get("/greenwich/").content == first.content
    assertContains(client.get("/news/"), "News")  # no copy: made afresh, not stored
    clock.passes(60)
    assert client.get("/greenwich/").status_code == 200  # the copy has expired: made afresh
    with change():  # an editor's change meanwhile: saved, and no error
        make_plan(greenwich, "Spring plan")
    assertContains(client.get("/greenwich/"), "Spring plan")
