from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from consultations import services
from consultations.forms import HONEYPOT_FIELD, DiscussionRequestForm, SubscriptionForm
from consultations.models import Consultation, ConsultationDocument, Outcome
from consultations.outcomes import key_figures
from consultations.subscriptions import subscription_for_token
from consultations.tasks import email_discussion_request
from partnerships.access import can_edit_partnership
from partnerships.models import Partnership
from partnerships.views import get_partnership_or_404, serve_document
from surveys import ratelimit

LIST_PAGE_SIZE = 20


def _listing(request: HttpRequest, consultations, heading: str, state: str, partnership=None) -> HttpResponse:
    page = Paginator(consultations, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/consultation_list.html",
        {"page": page, "heading": heading, "state": state, "partnership": partnership},
    )


def published_consultations():
    return (
        Consultation.objects.published()
        .filter(partnership__in=Partnership.objects.published())
        .select_related("partnership", "outcome")
    )


def open_consultations(request: HttpRequest) -> HttpResponse:
    return _listing(request, published_consultations().open(), "Open consultations", "open")


def forthcoming_consultations(request: HttpRequest) -> HttpResponse:
    return _listing(request, published_consultations().forthcoming(), "Coming soon", "forthcoming")


def closed_consultations(request: HttpRequest) -> HttpResponse:
    closed = published_consultations().closed().order_by("-closes_at")
    return _listing(request, closed, "Closed consultations", "closed")


def partnership_consultations(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    consultations = list(
        Consultation.objects.published()
        .filter(partnership=partnership)
        .select_related("outcome")
        .order_by("-closes_at")
    )
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
            "breadcrumbs": [("Home", reverse("partnerships:home")), (partnership.name, partnership.get_absolute_url())],
        },
    )


def get_consultation_or_404(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> Consultation:
    """The consultation if the public may see it, or its partnership's editors are previewing it."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("partnership", "plan", "survey", "outcome"),
        partnership__slug=partnership_slug,
        slug=consultation_slug,
    )
    public = consultation.is_published and consultation.partnership.is_published
    if not public and not can_edit_partnership(request.user, consultation.partnership_id):
        raise Http404("No such consultation")
    consultation.is_preview = not public
    return consultation


def visible_outcome(request: HttpRequest, consultation: Consultation) -> Outcome | None:
    """The consultation's outcome if published, or if one of its partnership's editors is previewing it."""
    try:
        outcome = consultation.outcome
    except ObjectDoesNotExist:
        return None
    if not outcome.is_published and not can_edit_partnership(request.user, consultation.partnership_id):
        return None
    outcome.consultation = consultation
    return outcome


def consultation_detail(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    partnership = consultation.partnership
    state = consultation.state()
    outcome = visible_outcome(request, consultation)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "partnership": partnership,
            "state": state,
            "survey": getattr(consultation, "survey", None),
            "documents": consultation.documents.all(),
            "outcome": outcome,
            "actions": list(outcome.actions.all()) if outcome else [],
            "figures": key_figures(outcome) if outcome else None,
            "is_preview": consultation.is_preview or (outcome is not None and not outcome.is_published),
            "breadcrumbs": [
                ("Home", reverse("partnerships:home")),
                (partnership.name, partnership.get_absolute_url()),
                ("Consultations", reverse("consultations:partnership", kwargs={"partnership_slug": partnership.slug})),
            ],
        },
    )


def consultation_document(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    document = get_object_or_404(ConsultationDocument.objects.select_related("consultation__partnership"), pk=pk)
    consultation = document.consultation
    public = consultation.is_published and consultation.partnership.is_published
    return serve_document(request, document, filename, public=public, partnership_id=consultation.partnership_id)


def request_discussion(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    if consultation.has_closed:
        return render(request, "consultations/consultation_closed.html", {"consultation": consultation}, status=410)
    form = DiscussionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        discussion = form.save(commit=False)
        discussion.consultation = consultation
        with transaction.atomic():
            discussion.save()
            transaction.on_commit(lambda: email_discussion_request.enqueue(discussion.pk))
        return redirect("consultations:discussion-sent", partnership_slug, consultation_slug)
    return render(
        request,
        "consultations/discussion_request_form.html",
        {
            "consultation": consultation,
            "form": form,
            "breadcrumbs": [(consultation.title, consultation.get_absolute_url())],
        },
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
        if request.POST.get(HONEYPOT_FIELD):
            return redirect("consultations:subscription-sent", partnership_slug, consultation_slug)
        hits = ratelimit.count_hit(
            f"subscribe:{ratelimit.client_key(request)}", settings.SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS
        )
        if hits <= settings.SUBSCRIBE_RATE_LIMIT:
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
            "honeypot_field": HONEYPOT_FIELD,
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
