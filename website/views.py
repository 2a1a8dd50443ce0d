"""Pages drawn from several apps: home, a partnership's page, a plan's page, contact, search, errors."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from common import ratelimit, security_log
from common.page_cache import cache_public_page
from common.spam import honeypot_filled
from consultations.models import Consultation
from partnerships.access import get_partnership_or_404, get_visible_or_404, visible_to
from partnerships.models import Borough, Membership, Partnership, Plan, Priority, Video
from surveys.journey import has_kept_answers
from surveys.models import Survey
from website import search as site_search
from website import tasks
from website.forms import ContactForm

ACTIVE_STATES = {Consultation.State.OPEN, Consultation.State.FORTHCOMING}
OUTCOMES_LISTED = 5


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    partnerships = list(Partnership.objects.public().select_related("borough").prefetch_related("boroughs"))
    return render(
        request,
        "website/home.html",
        {
            "open_consultations": Consultation.objects.public().open().select_related("partnership"),
            "local_partnerships": [p for p in partnerships if not p.is_strategy],
            "strategies": [p for p in partnerships if p.is_strategy],
        },
    )


@cache_public_page
def partnership_detail(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    queryset = Partnership.objects.select_related("borough").prefetch_related(
        Prefetch(
            "boroughs",
            Borough.objects.prefetch_related(
                Prefetch("local_partnerships", Partnership.objects.public(), to_attr="published_partnerships")
            ),
        ),
        Prefetch("memberships", Membership.objects.select_related("organisation")),
        Prefetch("priorities", Priority.objects.all()),
        "case_for_change",
        Prefetch("videos", Video.objects.filter(plan__isnull=True)),
    )
    partnership = get_partnership_or_404(request, partnership_slug, queryset)
    plans = list(visible_to(request.user, Plan.objects.filter(partnership=partnership)))
    # Listed under a partnership the person may already see: each item's own publication decides.
    consultations = list(partnership.consultations.published().select_related("outcome"))
    for item in [*plans, *consultations]:
        item.partnership = partnership
    outcomes = sorted(
        (c.published_outcome for c in consultations if c.published_outcome), key=lambda o: o.publish_at, reverse=True
    )
    priorities = list(partnership.priorities.all())
    context = {
        "partnership": partnership,
        "aims": [p for p in priorities if p.kind == Priority.Kind.AIM],
        "focus_areas": [p for p in priorities if p.kind == Priority.Kind.FOCUS_AREA],
        "plans": plans,
        "consultations": [c for c in consultations if c.state() in ACTIVE_STATES],
        "outcomes": outcomes[:OUTCOMES_LISTED],
        "is_preview": partnership.is_preview,
        "breadcrumbs": [("Home", reverse("website:home"))],
    }
    template = (
        "partnerships/strategy_detail.html" if partnership.is_strategy else "partnerships/partnership_detail.html"
    )
    return render(request, template, context)


@cache_public_page
def plan_detail(request: HttpRequest, partnership_slug: str, plan_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    plan = get_visible_or_404(
        request,
        Plan.objects.select_related("partnership", "superseded_by").prefetch_related(
            "documents", "approving_bodies", "videos"
        ),
        partnership=partnership,
        slug=plan_slug,
    )
    return render(
        request,
        "partnerships/plan_detail.html",
        {
            "partnership": partnership,
            "plan": plan,
            "consultations": plan.consultations.published().select_related("outcome"),
            "is_preview": plan.is_preview,
            "breadcrumbs": [("Home", reverse("website:home")), (partnership.name, partnership.get_absolute_url())],
        },
    )


@cache_public_page
def privacy(request: HttpRequest) -> HttpResponse:
    """The site's privacy notice: every period and cookie lifetime shown is the one the code enforces."""
    surveys = Survey.objects.public().select_related("consultation__partnership").order_by("consultation__title")
    return render(
        request,
        "website/privacy.html",
        {
            "partnerships": Partnership.objects.public().only("name", "data_controller", "data_protection_contact"),
            "surveys": [survey for survey in surveys if survey.erase_after > timezone.now()],
            "threshold": settings.SMALL_NUMBER_THRESHOLD,
            "kept_days": settings.SURVEY_ANSWERS_KEPT_DAYS,
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
        },
    )


@cache_public_page
def contact(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.public().only(
        "name", "slug", "contact_name", "contact_email", "contact_phone", "website_url"
    )
    return render(request, "website/contact.html", {"partnerships": partnerships})


def contact_partnership(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """/contact/<partnership>/: a message to the partnership, emailed to its inbox (or the site's)."""
    partnership = get_partnership_or_404(request, partnership_slug)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if honeypot_filled(request):
            # A bot: it is told the message went, and nothing is sent.
            return redirect("website:contact-sent", partnership.slug)
        limit, window = settings.CONTACT_RATE_LIMIT, settings.CONTACT_RATE_LIMIT_WINDOW_SECONDS
        if not ratelimit.is_over_limit(request, "contact", limit=limit, window_seconds=window):
            tasks.send_contact_message.enqueue(partnership.pk, **form.cleaned_data)
            return redirect("website:contact-sent", partnership.slug)
        form.add_error(None, "You have sent a lot of messages from this connection. Try again in an hour.")
        status = 429
    return render(
        request,
        "website/contact_form.html",
        {"partnership": partnership, "form": form, "breadcrumbs": [("Contact us", reverse("website:contact"))]},
        status=status,
    )


def contact_sent(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    return render(request, "website/contact_sent.html", {"partnership": partnership})


@cache_public_page(parameters={"q": lambda words: 0 < len(words) <= site_search.MAX_QUERY_LENGTH})
def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=...: public content only, ten to a page, best match first."""
    query = site_search.clean_query(request.GET.get("q"))
    page = site_search.search(query, request.GET.get("page")) if query else None
    return render(
        request,
        "website/search_results.html",
        {
            "query": query,
            # Submitted with nothing in the box: say what to do, rather than showing an empty page.
            "query_missing": "q" in request.GET and not query,
            "page": page,
            "page_query": urlencode({"q": query}),
        },
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """A plain 403 page, and a line in the security log with who asked for what."""
    security_log.event("permission_denied", request)
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A plain explanation instead of Django's technical 403 page, e.g. when a form was open too long."""
    return render(request, "csrf_failure.html", {"answers_kept": has_kept_answers(request.session)}, status=403)
