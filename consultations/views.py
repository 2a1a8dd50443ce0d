from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from common import ratelimit
from common.documents import document_response
from common.page_cache import cache_public_page
from common.spam import honeypot_filled
from consultations import services
from consultations.forms import DiscussionRequestForm, SubscriptionForm
from consultations.models import Consultation, ConsultationDocument, Outcome
from consultations.subscriptions import subscription_for_token
from partnerships.access import get_partnership_or_404, get_visible_or_404, visible_or_none

LIST_PAGE_SIZE = 20


def _listing(request: HttpRequest, consultations, heading: str, state: str, partnership=None) -> HttpResponse:
    page = Paginator(consultations, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/consultation_list.html",
        {"page": page, "heading": heading, "state": state, "partnership": partnership},
    )


def published_consultations():
    return Consultation.objects.public().select_related("partnership", "outcome")


@cache_public_page
def open_consultations(request: HttpRequest) -> HttpResponse:
    return _listing(request, published_consultations().open(), "Open consultations", "open")


@cache_public_page
def forthcoming_consultations(request: HttpRequest) -> HttpResponse:
    return _listing(request, published_consultations().forthcoming(), "Coming soon", "forthcoming")


@cache_public_page
def closed_consultations(request: HttpRequest) -> HttpResponse:
    closed = published_consultations().closed().order_by("-closes_at")
    return _listing(request, closed, "Closed consultations", "closed")


@cache_public_page
def partnership_consultations(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    # Listed under a partnership the person may already see: each consultation's own publication decides.
    consultations = list(partnership.consultations.published().select_related("outcome").order_by("-closes_at"))
    for consultation in consultations:
        consultation.partnership = partnership
    by_state = {state: [] for state in Consultation.State.values}
    for consultation in consultations:
        by_state[consultation.state()].append(consultation)
    return render(
        request,
        "consultations/partnership_consultations.html",
        {
            "partnership": partnership,
            "open": by_state[Consultation.State.OPEN],
            "forthcoming": by_state[Consultation.State.FORTHCOMING],
            "closed": by_state[Consultation.State.RESULTS_PUBLISHED] + by_state[Consultation.State.CLOSED],
            "breadcrumbs": [("Home", reverse("website:home")), (partnership.name, partnership.get_absolute_url())],
        },
    )


def get_consultation_or_404(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> Consultation:
    """The consultation if the public may see it, or its partnership's editors are previewing it."""
    return get_visible_or_404(
        request,
        Consultation.objects.select_related("partnership", "plan", "survey", "outcome"),
        partnership__slug=partnership_slug,
        slug=consultation_slug,
    )


def visible_outcome(request: HttpRequest, consultation: Consultation) -> Outcome | None:
    """The consultation's outcome if the public may see it, or one of its partnership's editors previews it."""
    try:
        outcome = consultation.outcome
    except ObjectDoesNotExist:
        return None
    outcome.consultation = consultation
    return visible_or_none(request, outcome)


@cache_public_page
def consultation_detail(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    partnership = consultation.partnership
    state = consultation.state()
    outcome = visible_outcome(request, consultation)
    survey = getattr(consultation, "survey", None)
    figures = services.outcome_figures(outcome) if outcome is not None else None
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "partnership": partnership,
            "state": state,
            "survey": survey,
            "documents": consultation.documents.all(),
            "outcome": outcome,
            "actions": list(outcome.actions.all()) if outcome else [],
            "figures": figures,
            "is_preview": consultation.is_preview or (outcome is not None and outcome.is_preview),
            "breadcrumbs": [
                ("Home", reverse("website:home")),
                (partnership.name, partnership.get_absolute_url()),
                ("Consultations", reverse("consultations:partnership", kwargs={"partnership_slug": partnership.slug})),
            ],
        },
    )


def consultation_document(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """A consultation's document, for everyone while the consultation is public, otherwise for its editors."""
    queryset = ConsultationDocument.objects.select_related("consultation__partnership")
    return document_response(request, get_visible_or_404(request, queryset, pk=pk), filename)


def request_discussion(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    if consultation.has_closed:
        return render(request, "consultations/consultation_closed.html", {"consultation": consultation}, status=410)
    form = DiscussionRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if honeypot_filled(request):
            # A bot: it is told the request went, and nothing is stored or emailed.
            return redirect("consultations:discussion-sent", partnership_slug, consultation_slug)
        over_limit = ratelimit.is_over_limit(
            request,
            "discussion",
            limit=settings.DISCUSSION_RATE_LIMIT,
            window_seconds=settings.DISCUSSION_RATE_LIMIT_WINDOW_SECONDS,
        )
        if not over_limit:
            services.request_discussion(consultation=consultation, details=form.cleaned_data)
            return redirect("consultations:discussion-sent", partnership_slug, consultation_slug)
        form.add_error(None, "You have sent a lot of requests from this connection. Try again in an hour.")
        status = 429
    return render(
        request,
        "consultations/discussion_request_form.html",
        {
            "consultation": consultation,
            "form": form,
            "breadcrumbs": [(consultation.title, consultation.get_absolute_url())],
        },
        status=status,
    )


def discussion_request_sent(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    return render(request, "consultations/discussion_request_sent.html", {"consultation": consultation})


# Email when the results are published


def subscribe(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    """Take an address with consent. The reply is the same whether or not the address was known."""
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    results_published = consultation.state() == Consultation.State.RESULTS_PUBLISHED
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not results_published and form.is_valid():
        if honeypot_filled(request):
            return redirect("consultations:subscription-sent", partnership_slug, consultation_slug)
        over_limit = ratelimit.is_over_limit(
            request,
            "subscribe",
            limit=settings.SUBSCRIBE_RATE_LIMIT,
            window_seconds=settings.SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS,
        )
        if not over_limit:
            services.subscribe(consultation=consultation, email=form.cleaned_data["email"])
            return redirect("consultations:subscription-sent", partnership_slug, consultation_slug)
        form.add_error(None, "You have asked for a lot of emails from this connection. Try again in an hour.")
        status = 429
    return render(
        request,
        "consultations/subscription_form.html",
        {
            "consultation": consultation,
            "form": form,
            "results_published": results_published,
            "breadcrumbs": [(consultation.title, consultation.get_absolute_url())],
        },
        status=status,
    )


def subscription_sent(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    return render(request, "consultations/subscription_sent.html", {"consultation": consultation})


def _link_not_valid(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/subscription_link_not_valid.html", status=404)


@require_http_methods(["GET", "POST"])
def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email. Opening it shows a button, so that the link checkers
    some email services run on every link never confirm anyone."""
    subscription = subscription_for_token(token, confirming=True)
    if subscription is None:
        return _link_not_valid(request)
    if request.method == "POST":
        if subscription.confirmed_at is None and subscription.unsubscribed_at is None:
            services.confirm_subscription(subscription=subscription)
        return redirect(request.path)
    return render(request, "consultations/subscription_confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for_token(token)
    if subscription is None:
        return _link_not_valid(request)
    if request.method == "POST":
        services.unsubscribe(subscription=subscription)
        return redirect(request.path)
    return render(request, "consultations/unsubscribe.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: mail services POST here without cookies or a CSRF token; the random token is the key.
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The List-Unsubscribe address. Opened in a browser, it leads to the page with a button."""
    subscription = subscription_for_token(token)
    if subscription is None:
        return _link_not_valid(request)
    if request.method == "GET":
        return redirect("consultations:unsubscribe", token)
    services.unsubscribe(subscription=subscription)
    return HttpResponse("You are unsubscribed.\n", content_type="text/plain; charset=utf-8")
