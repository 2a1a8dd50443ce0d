import pytest

from news.models import Event, NewsItem
from tests.factories import make_event, make_item

pytestmark = pytest.mark.django_db

EMPTY_INLINES = {
    f"{prefix}-{field}": "0"
    for prefix in ["workshops", "issues_raised", "quotes", "photos"]
    for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
}


def item_form(**fields) -> dict:
    return {
        "kind": "news",
        "title": "Winter news",
        "slug": "winter-news",
        "summary": "What is happening this winter",
        "publication_status": "draft",
        "publish_at_0": "01/01/2026",
        "publish_at_1": "09:00:00",
        "date": "01/01/2026",
        "date_precision": "day",
        **EMPTY_INLINES,
        **fields,
    }


def test_editor_lists_only_items_with_one_of_their_partnerships(client, alice, lewisham_item, shared_item):
    client.force_login(alice)
    page = client.get("/admin/news/newsitem/").content.decode()
    assert "Shared news" in page
    assert "Lewisham only news" not in page


def test_editor_is_not_shown_other_partnerships_even_in_the_filter(client, alice, lewisham, lewisham_item):
    client.force_login(alice)
    for url in ["/admin/news/newsitem/", "/admin/news/newsitem/add/", "/admin/news/event/"]:
        assert lewisham.name not in client.get(url).content.decode(), url


@pytest.mark.parametrize("action", ["change", "history", "delete"])
def test_editor_cannot_reach_another_partnerships_item_by_url(client, alice, lewisham_item, action):
    client.force_login(alice)
    response = client.get(f"/admin/news/newsitem/{lewisham_item.pk}/{action}/", follow=True)
    assert "Lewisham only news" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"


def test_editor_cannot_change_another_partnerships_item_by_posting(client, alice, lewisham_item, lewisham, greenwich):
    client.force_login(alice)
    client.post(
        f"/admin/news/newsitem/{lewisham_item.pk}/change/",
        item_form(title="Hijacked", slug=lewisham_item.slug, partnerships=[greenwich.pk]),
    )
    lewisham_item.refresh_from_db()
    assert lewisham_item.title == "Lewisham only news"
    assert list(lewisham_item.partnerships.all()) == [lewisham]


def test_editor_cannot_delete_another_partnerships_item_with_the_list_action(client, alice, lewisham_item):
    client.force_login(alice)
    client.post(
        "/admin/news/newsitem/",
        {"action": "delete_selected", "_selected_action": [lewisham_item.pk], "post": "yes"},
    )
    assert NewsItem.objects.filter(pk=lewisham_item.pk).exists()


@pytest.mark.parametrize("action", ["change", "history"])
def test_editor_can_open_an_item_shared_with_their_partnership(client, alice, shared_item, action):
    client.force_login(alice)
    response = client.get(f"/admin/news/newsitem/{shared_item.pk}/{action}/")
    assert response.status_code == 200
    assert "Shared news" in response.content.decode()


def test_editor_saving_a_shared_item_keeps_its_other_partnerships(client, alice, shared_item, greenwich, lewisham):
    client.force_login(alice)
    change_page = client.get(f"/admin/news/newsitem/{shared_item.pk}/change/").content.decode()
    # Only Greenwich can be ticked; Lewisham is named as also sharing it.
    assert f'<option value="{lewisham.pk}"' not in change_page
    assert "All its partnerships" in change_page and lewisham.name in change_page
    response = client.post(
        f"/admin/news/newsitem/{shared_item.pk}/change/",
        item_form(title="Shared news, updated", slug=shared_item.slug, partnerships=[greenwich.pk]),
    )
    assert response.status_code == 302
    shared_item.refresh_from_db()
    assert shared_item.title == "Shared news, updated"
    assert set(shared_item.partnerships.all()) == {greenwich, lewisham}


def test_editor_cannot_add_an_item_to_another_partnership(client, alice, lewisham):
    client.force_login(alice)
    response = client.post("/admin/news/newsitem/add/", item_form(partnerships=[lewisham.pk]))
    assert "Select a valid choice" in response.content.decode()
    assert not NewsItem.objects.filter(slug="winter-news").exists()


def test_editor_adds_an_item_to_their_partnership_with_rich_text_cleaned(client, alice, greenwich):
    client.force_login(alice)
    response = client.post(
        "/admin/news/newsitem/add/",
        item_form(partnerships=[greenwich.pk], body="<p>Hello</p><script>alert('x')</script>"),
    )
    assert response.status_code == 302
    item = NewsItem.objects.get(slug="winter-news")
    assert list(item.partnerships.all()) == [greenwich]
    assert item.body == "<p>Hello</p>"


def test_an_item_needs_at_least_one_partnership(client, alice):
    client.force_login(alice)
    response = client.post("/admin/news/newsitem/add/", item_form())
    assert response.status_code == 200
    assert not NewsItem.objects.exists()


def test_an_event_write_up_needs_its_venue(client, alice, greenwich):
    client.force_login(alice)
    response = client.post("/admin/news/newsitem/add/", item_form(partnerships=[greenwich.pk], kind="event_write_up"))
    assert "Enter where the event was held" in response.content.decode()


def test_superuser_sees_every_item(client, superuser, lewisham_item, shared_item):
    client.force_login(superuser)
    page = client.get("/admin/news/newsitem/").content.decode()
    assert "Lewisham only news" in page and "Shared news" in page


def test_editor_sees_and_reaches_only_events_with_one_of_their_partnerships(client, alice, lewisham, greenwich):
    lewisham_event = make_event(lewisham, title="Lewisham only event")
    make_event(lewisham, greenwich, title="Shared event")
    client.force_login(alice)
    page = client.get("/admin/news/event/").content.decode()
    assert "Shared event" in page and "Lewisham only event" not in page
    response = client.get(f"/admin/news/event/{lewisham_event.pk}/change/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert Event.objects.count() == 2


def test_admin_list_queries_do_not_grow_with_items_or_partnerships(
    client, alice, greenwich, lewisham, django_assert_max_num_queries
):
    client.force_login(alice)
    make_item(greenwich, lewisham)
    # session, user, the second-factor device, user's and groups' permissions, the partnership filter's
    # choices, count, count unfiltered, the page of items, their partnerships, the date hierarchy's range
    # and its days, the session's new expiry in a savepoint (staff sessions slide)
    with django_assert_max_num_queries(15):
        client.get("/admin/news/newsitem/")
    for _ in range(15):
        make_item(greenwich, lewisham)
    with django_assert_max_num_queries(15):
        client.get("/admin/news/newsitem/")
