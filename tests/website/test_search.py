import datetime
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import Consultation
from news.models import Event, NewsItem
from partnerships.models import Partnership, Plan
from tests.factories import make_consultation, make_event, make_item, make_partnership, make_plan
from website.search import MARK_END, MARK_START, MAX_QUERY_LENGTH, clean_query, highlight, search

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    """Result titles in the order the page shows them."""
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'<h2 class="nhsuk-heading-s[^"]*"><a href="[^"]*">(.*?)</a></h2>', response.text)
    ]


def test_a_title_match_ranks_above_a_body_only_match(client, greenwich):
    make_plan(greenwich, "Community services plan", body="<p>Clinics for people living with diabetes.</p>")
    make_plan(greenwich, "Diabetes plan", body="<p>Better care close to home.</p>")
    make_plan(greenwich, "Dental plan", body="<p>Nothing about the other thing.</p>")
    assert titles(client.get("/search/", {"q": "diabetes"})) == ["Diabetes plan", "Community services plan"]


def test_a_summary_match_ranks_between_title_and_body_matches(client, greenwich):
    make_plan(greenwich, "Body plan", body="<p>Asthma clinics.</p>")
    make_plan(greenwich, "Summary plan", summary="Asthma care for children.")
    make_plan(greenwich, "Asthma plan")
    assert titles(client.get("/search/", {"q": "asthma"})) == ["Asthma plan", "Summary plan", "Body plan"]


def test_english_stemming_finds_other_forms_of_a_word(client, greenwich):
    make_plan(greenwich, "Winter plan", body="<p>The consultation with residents ran all summer.</p>")
    assert titles(client.get("/search/", {"q": "consulting"})) == ["Winter plan"]


def test_every_kind_of_public_content_is_found_with_its_link(client, greenwich):
    make_partnership("Bexley Wellbeing Partnership", slug="bexley", summary="Wellbeing for Bexley.")
    make_plan(greenwich, "Wellbeing plan", slug="wellbeing")
    make_consultation(greenwich, "Wellbeing survey", slug="wellbeing-survey")
    make_item(greenwich, title="Wellbeing news", slug="wellbeing-news")
    starts = timezone.make_aware(datetime.datetime(2031, 3, 4, 18, 0))
    make_event(greenwich, title="Wellbeing drop-in", slug="wellbeing-drop-in", starts_at=starts)
    response = client.get("/search/", {"q": "wellbeing"})
    for url, label in [
        ("/bexley/", "Local care partnership"),
        ("/greenwich/plans/wellbeing/", "Plan, Healthier Greenwich Alliance"),
        ("/greenwich/consultations/wellbeing-survey/", "Consultation, Healthier Greenwich Alliance"),
        ("/news/wellbeing-news/", "News"),
        ("/events/wellbeing-drop-in/", 'Event, <time datetime="2031-03-04">4 March 2031</time>'),
    ]:
        assertContains(response, f'<a href="{url}">')
        assertContains(response, f'<p class="nhsuk-body-s nhsuk-u-margin-bottom-1 app-secondary-text">{label}</p>')


def test_drafts_future_items_and_items_of_draft_partnerships_never_appear(client, greenwich):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    hidden = make_partnership("Hidden partnership", summary="Glaucoma care.", publication_status="draft")
    make_partnership("Future partnership", summary="Glaucoma care.", publish_at=tomorrow)
    make_plan(greenwich, "Glaucoma draft plan", publication_status=Plan.Status.DRAFT)
    make_plan(greenwich, "Glaucoma future plan", publish_at=tomorrow)
    make_plan(hidden, "Glaucoma plan of a draft partnership")
    make_consultation(greenwich, "Glaucoma draft consultation", publication_status=Consultation.Status.DRAFT)
    make_consultation(greenwich, "Glaucoma future consultation", publish_at=tomorrow)
    make_consultation(hidden, "Glaucoma consultation of a draft partnership")
    make_item(greenwich, title="Glaucoma draft news", publication_status=NewsItem.Status.DRAFT)
    make_item(greenwich, title="Glaucoma future news", publish_at=tomorrow)
    make_item(hidden, title="Glaucoma news of a draft partnership")
    make_event(greenwich, title="Glaucoma draft event", publication_status=Event.Status.DRAFT)
    make_event(hidden, title="Glaucoma event of a draft partnership")
    make_plan(greenwich, "Glaucoma plan")

    response = client.get("/search/", {"q": "glaucoma"})

    assert titles(response) == ["Glaucoma plan"]
    assertContains(response, "1 result for “glaucoma”.")


def test_news_shared_with_a_published_partnership_is_found(client, greenwich):
    hidden = make_partnership("Hidden partnership", publication_status=Partnership.Status.DRAFT)
    make_item(hidden, greenwich, title="Shared glaucoma news")
    assert titles(client.get("/search/", {"q": "glaucoma"})) == ["Shared glaucoma news"]


def test_websearch_syntax_quotes_phrases_and_excludes_words(client, greenwich):
    make_plan(greenwich, "Evening appointments plan", body="<p>Evening GP appointments in every area.</p>")
    make_plan(greenwich, "Weekend plan", body="<p>GP appointments at weekends, and in the evening.</p>")
    assert titles(client.get("/search/", {"q": '"evening GP appointments"'})) == ["Evening appointments plan"]
    assert titles(client.get("/search/", {"q": "appointments -weekends"})) == ["Evening appointments plan"]
    assert titles(client.get("/search/", {"q": "appointments or nonsense"})) == [
        "Evening appointments plan",
        "Weekend plan",
    ]


def test_snippets_highlight_the_matching_words(client, greenwich):
    make_plan(greenwich, "Winter plan", body="<p>We will open <strong>more pharmacies</strong> on Sundays.</p>")
    response = client.get("/search/", {"q": "pharmacy"})
    assertContains(response, "<p>Summary of Winter plan We will open more <mark>pharmacies</mark> on Sundays</p>")


def test_an_editors_script_in_a_body_is_never_output_unescaped(client, greenwich):
    plan = make_plan(greenwich, "Scripted plan")
    # Written past the sanitiser (as a migration or a bug might), and as text that looks like a tag.
    Plan.objects.filter(pk=plan.pk).update(
        body='<p>Diabetes clinics</p><script>alert("tag")</script>'
        "<p>Type &lt;script&gt;alert(1)&lt;/script&gt; about diabetes &amp; more</p>",
        summary="<b>Bold</b> diabetes summary",
    )
    response = client.get("/search/", {"q": "diabetes"})
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<b>Bold")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; about <mark>diabetes</mark> &amp; more")
    assertContains(response, "<mark>Diabetes</mark> clinics")


def test_highlight_escapes_everything_except_its_own_markers():
    headline = f'<img src=x onerror="alert(1)"> {MARK_START}care{MARK_END} &amp; {MARK_START}<i>{MARK_END} \ue001'
    assert highlight(headline) == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>care</mark> &amp; <mark>&lt;i&gt;</mark>"
    )


def test_results_are_paginated_ten_to_a_page_and_page_links_keep_the_query(client, greenwich):
    for number in range(12):
        make_plan(greenwich, f"Asthma & care plan {number:02}", slug=f"asthma-{number}")
    first = client.get("/search/", {"q": "asthma & care"})
    assert len(titles(first)) == 10
    assertContains(first, "12 results for “asthma &amp; care”, showing 1 to 10.")
    assertContains(first, 'href="?q=asthma+%26+care&amp;page=2"')
    second = client.get("/search/", {"q": "asthma & care", "page": "2"})
    assert len(titles(second)) == 2
    assertContains(second, 'href="?q=asthma+%26+care&amp;page=1"')
    assertContains(second, "<title>Search results for “asthma &amp; care” (page 2) –", html=False)
    assert set(titles(first)).isdisjoint(titles(second))


def test_a_page_number_out_of_range_shows_the_last_page(client, greenwich):
    make_plan(greenwich, "Asthma plan")
    assert titles(client.get("/search/", {"q": "asthma", "page": "99"})) == ["Asthma plan"]
    assert titles(client.get("/search/", {"q": "asthma", "page": "x"})) == ["Asthma plan"]


def test_no_results_page_says_what_to_try_instead(client, greenwich):
    make_plan(greenwich, "Asthma plan")
    response = client.get("/search/", {"q": "zebra crossing"})
    assert response.status_code == 200
    assertContains(response, "<title>No results for “zebra crossing” –", html=False)
    assertContains(response, "We found nothing for “zebra crossing”.")
    assertContains(response, "What you can try instead")
    assertContains(response, '<a href="/consultations/">open consultations</a>', html=True)
    assertContains(response, 'value="zebra crossing"')


def test_a_query_of_stop_words_only_finds_nothing_rather_than_everything(client, greenwich):
    make_plan(greenwich, "The plan")
    assertContains(client.get("/search/", {"q": "the and of"}), "What you can try instead")


def test_an_empty_query_asks_for_a_word_or_phrase(client):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assertContains(response, "<title>Error: Search –", html=False)
    assertContains(response, '<a href="#search-query">Enter a word or phrase to search for</a>', html=True)
    assertContains(response, 'aria-describedby="search-query-hint search-query-error"')
    assertNotContains(response, "What you can try instead")


def test_the_search_page_without_a_query_shows_just_the_form(client):
    response = client.get("/search/")
    assertContains(response, "<title>Search –", html=False)
    assertContains(response, '<label class="nhsuk-label nhsuk-label--l" for="search-query">Search this site</label>')
    assertNotContains(response, "There is a problem")


def test_search_pages_ask_search_engines_not_to_index_them(client):
    assertContains(client.get("/search/", {"q": "anything"}), '<meta name="robots" content="noindex">')


def test_the_header_has_a_search_box_that_goes_to_the_search_page(client, greenwich):
    response = client.get("/")
    assertContains(response, '<form class="nhsuk-header__search-form" id="search" action="/search/" method="get"')
    assertContains(
        response,
        '<label class="nhsuk-label nhsuk-u-visually-hidden" for="search-field">Search this site</label>',
        html=True,
    )
    assertContains(response, '<input class="nhsuk-input" id="search-field" name="q" type="search"')


def test_long_queries_are_cut_and_whitespace_is_tidied():
    assert clean_query("  care \n  homes ") == "care homes"
    assert len(clean_query("word " * 100)) == MAX_QUERY_LENGTH
    assert clean_query(None) == ""


def make_corpus(greenwich, size: int, word: str) -> None:
    for number in range(size):
        make_plan(greenwich, f"{word} plan {number}", slug=f"{word}-plan-{number}")
        make_consultation(greenwich, f"{word} consultation {number}", slug=f"{word}-consultation-{number}")
        make_item(greenwich, title=f"{word} news {number}", slug=f"{word}-news-{number}")
        make_event(greenwich, title=f"{word} event {number}", slug=f"{word}-event-{number}")
        make_partnership(f"{word} partnership {number}", summary=f"All about {word}.")


@pytest.mark.parametrize("size", [1, 12])
def test_a_search_costs_the_same_few_queries_however_much_matches(
    client, greenwich, size, django_assert_max_num_queries
):
    make_corpus(greenwich, size, "hernia")
    # 1. the partnerships in the header, 2. the page of hits and their number (one UNION ALL of every
    # kind, ranked, LIMIT 10, with a window count), 3. the snippets for that page (one UNION ALL)
    with django_assert_max_num_queries(3):
        response = client.get("/search/", {"q": "hernia"})
    assert len(titles(response)) == min(5 * size, 10)


def test_the_search_function_returns_hits_in_two_queries(greenwich, django_assert_max_num_queries):
    make_corpus(greenwich, 3, "sciatica")
    # 1. the page of hits with their number, 2. the snippets; building URLs needs no query
    with django_assert_max_num_queries(2):
        page = search("sciatica", 1)
        urls = [hit.url for hit in page.object_list]
    assert len(urls) == 10
    assert page.paginator.count == 15


def test_a_page_past_the_end_shows_the_last_page(greenwich, django_assert_max_num_queries):
    make_corpus(greenwich, 3, "sciatica")  # 15 hits: two pages
    # 1. the page asked for (empty), 2. the number of hits, 3. the last page, 4. its snippets
    with django_assert_max_num_queries(4):
        page = search("sciatica", 7)
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 5, 15)
    assert search("sciatica", "not a number").number == 1


def test_the_search_documents_follow_every_edit(greenwich):
    plan = make_plan(greenwich, "Winter plan")
    assert search("lumbago", 1).paginator.count == 0
    plan.body = "<p>Lumbago clinics in every borough.</p>"
    plan.save()
    assert [hit.title for hit in search("lumbago", 1).object_list] == ["Winter plan"]
