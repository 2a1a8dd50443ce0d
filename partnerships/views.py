from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from consultations.models import Consultation
from partnerships import search as site_search
from partnerships.access import can_edit_partnership
from partnerships.models import Borough, Membership, Partnership, Plan, PlanDocument, Priority, Video

ACTIVE_STATES = {Consultation.State.OPEN, Consultation.State.FORTHCOMING}
OUTCOMES_LISTED = 5


def get_partnership_or_404(request: HttpRequest, slug: str, queryset=None) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.all() if queryset is None else queryset, slug=slug)
    if not partnership.is_published and not can_edit_partnership(request.user, partnership.pk):
        raise Http404("No such partnership")
    return partnership


def home(request: HttpRequest) -> HttpResponse:
    partnerships = list(Partnership.objects.published().select_related("borough").prefetch_related("boroughs"))
    open_consultations = (
        Consultation.objects.published().open().filter(partnership__in=partnerships).select_related("partnership")
    )
    return render(
        request,
        "partnerships/home.html",
        {
            "open_consultations": open_consultations,
            "local_partnerships": [p for p in partnerships if not p.is_strategy],
            "strategies": [p for p in partnerships if p.is_strategy],
        },
    )


def partnership_detail(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    queryset = Partnership.objects.select_related("borough").prefetch_related(
        Prefetch(
            "boroughs",
            Borough.objects.prefetch_related(
                Prefetch("local_partnerships", Partnership.objects.published(), to_attr="published_partnerships")
            ),
        ),
        Prefetch("memberships", Membership.objects.select_related("organisation")),
        Prefetch("priorities", Priority.objects.all()),
        "case_for_change",
        Prefetch("videos", Video.objects.filter(plan__isnull=True)),
    )
    partnership = get_partnership_or_404(request, partnership_slug, queryset)
    plans = Plan.objects.filter(partnership=partnership)
    if not can_edit_partnership(request.user, partnership.pk):
        plans = plans.published()
    plans = list(plans)
    for plan in plans:
        plan.partnership = partnership
    consultations = list(Consultation.objects.published().filter(partnership=partnership).select_related("outcome"))
    for consultation in consultations:
        consultation.partnership = partnership
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
        "is_preview": not partnership.is_published,
        "breadcrumbs": [("Home", reverse("partnerships:home"))],
    }
    template = (
        "partnerships/strategy_detail.html" if partnership.is_strategy else "partnerships/partnership_detail.html"
    )
    return render(request, template, context)


def plan_detail(request: HttpRequest, partnership_slug: str, plan_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    plan = get_object_or_404(
        Plan.objects.prefetch_related("documents", "approving_bodies", "videos").select_related("superseded_by"),
        partnership=partnership,
        slug=plan_slug,
    )
    plan.partnership = partnership
    if not plan.is_published and not can_edit_partnership(request.user, partnership.pk):
        raise Http404("No such plan")
    consultations = Consultation.objects.published().filter(plan=plan).select_related("outcome")
    return render(
        request,
        "partnerships/plan_detail.html",
        {
            "partnership": partnership,
            "plan": plan,
            "consultations": consultations,
            "is_preview": not (plan.is_published and partnership.is_published),
            "breadcrumbs": [("Home", reverse("partnerships:home")), (partnership.name, partnership.get_absolute_url())],
        },
    )


def document_download(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    document = get_object_or_404(PlanDocument.objects.select_related("plan__partnership"), pk=pk)
    plan = document.plan
    public = plan.is_published and plan.partnership.is_published
    return serve_document(request, document, filename, public=public, partnership_id=plan.partnership_id)


def serve_document(request: HttpRequest, document, filename: str, *, public: bool, partnership_id: int) -> FileResponse:
    """An uploaded document, to everyone if its page is public, otherwise only to its partnership's editors."""
    if document.filename != filename or not (public or can_edit_partnership(request.user, partnership_id)):
        raise Http404("No such document")
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=document.filename,
        as_attachment=not document.is_inline,
    )


def contact(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.published().only(
        "name", "slug", "contact_name", "contact_email", "contact_phone", "website_url"
    )
    return render(request, "pages/contact.html", {"partnerships": partnerships})


def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=...: published content only, ten to a page, best match first."""
    query = site_search.clean_query(request.GET.get("q"))
    page = site_search.search(query, request.GET.get("page")) if query else None
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            # Submitted with nothing in the box: say what to do, rather than showing an empty page.
            "query_missing": "q" in request.GET and not query,
            "page": page,
            "page_query": urlencode({"q": query}),
        },
    )
