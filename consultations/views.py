from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from consultations.forms import DiscussionRequestForm
from consultations.models import Consultation, ConsultationDocument
from consultations.tasks import email_discussion_request
from partnerships.access import can_edit_partnership
from partnerships.models import Partnership
from partnerships.views import document_response, get_partnership_or_404

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
        .select_related("partnership")
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
    consultations = list(Consultation.objects.published().filter(partnership=partnership).order_by("-closes_at"))
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
            "closed": by_state[Consultation.State.CLOSED],
            "breadcrumbs": [("Home", reverse("partnerships:home")), (partnership.name, partnership.get_absolute_url())],
        },
    )


def get_consultation_or_404(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> Consultation:
    """The consultation if the public may see it, or its partnership's editors are previewing it."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("partnership", "plan", "survey"),
        partnership__slug=partnership_slug,
        slug=consultation_slug,
    )
    public = consultation.is_published and consultation.partnership.is_published
    if not public and not can_edit_partnership(request.user, consultation.partnership_id):
        raise Http404("No such consultation")
    consultation.is_preview = not public
    return consultation


def consultation_detail(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    partnership = consultation.partnership
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "partnership": partnership,
            "state": consultation.state(),
            "survey": getattr(consultation, "survey", None),
            "documents": consultation.documents.all(),
            "is_preview": consultation.is_preview,
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
    if document.filename != filename or not (public or can_edit_partnership(request.user, consultation.partnership_id)):
        raise Http404("No such document")
    return document_response(document)


def request_discussion(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, partnership_slug, consultation_slug)
    if consultation.state() == Consultation.State.CLOSED:
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
