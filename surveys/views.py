"""The resident's way through a survey: start page, one page per section, check answers, confirmation."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common import ratelimit
from common.spam import honeypot_filled
from partnerships.access import get_visible_or_404
from surveys.forms import ReferenceForm
from surveys.journey import Journey, discard_answers
from surveys.models import Response, Survey
from surveys.services import submit_response, withdraw_response


def _survey_or_404(request, partnership_slug, consultation_slug):
    """The survey and its consultation, if the public may see them or an editor is previewing."""
    survey = get_visible_or_404(
        request,
        Survey.objects.select_related("consultation__partnership", "consultation__outcome"),
        consultation__partnership__slug=partnership_slug,
        consultation__slug=consultation_slug,
    )
    return survey.consultation, survey


def _closed(request: HttpRequest, consultation, survey: Survey, answers_not_sent: bool = False) -> HttpResponse:
    """The consultation has closed: say so, and forget anything this browser typed into its survey."""
    discard_answers(request.session, survey)
    return render(
        request,
        "consultations/consultation_closed.html",
        {"consultation": consultation, "answers_not_sent": answers_not_sent},
        status=410 if answers_not_sent else 200,
    )


def _urls(consultation) -> dict[str, str]:
    args = [consultation.partnership.slug, consultation.slug]
    return {
        "start": reverse("surveys:start", args=args),
        "check": reverse("surveys:check", args=args),
        "consultation": consultation.get_absolute_url(),
    }


def _note_honeypot(request: HttpRequest, journey: Journey) -> None:
    if honeypot_filled(request):
        journey.flag("honeypot")


def start(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation, survey = _survey_or_404(request, partnership_slug, consultation_slug)
    if not consultation.is_open:
        return _closed(request, consultation, survey)
    journey = Journey(request.session, survey)
    resume_at = journey.resume_at()
    return render(
        request,
        "surveys/start.html",
        {
            "consultation": consultation,
            "survey": survey,
            "page_count": len(journey.pages()),
            "has_answers": journey.has_answers,
            "kept_days": settings.SURVEY_ANSWERS_KEPT_DAYS,
            "resume_number": resume_at.number if resume_at else None,
            "breadcrumbs": [(consultation.title, consultation.get_absolute_url())],
        },
    )


def page(request: HttpRequest, partnership_slug: str, consultation_slug: str, number: int) -> HttpResponse:
    consultation, survey = _survey_or_404(request, partnership_slug, consultation_slug)
    if not consultation.is_open:
        return _closed(request, consultation, survey, answers_not_sent=request.method == "POST")
    journey = Journey(request.session, survey)
    if not journey.started:
        journey.start()
    pages = journey.pages()
    current = pages[number - 1] if 1 <= number <= len(pages) else None
    if current is None:
        return redirect("surveys:check", partnership_slug, consultation_slug)
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        _note_honeypot(request, journey)
        form = journey.form_for(current, data=request.POST)
        journey.store(current.section, request.POST, form.fields)
        if form.is_valid():
            next_pages = journey.pages()
            if changing or number >= len(next_pages):
                return redirect("surveys:check", partnership_slug, consultation_slug)
            return redirect("surveys:page", partnership_slug, consultation_slug, number + 1)
    else:
        form = journey.form_for(current)
    urls = _urls(consultation)
    back_url = urls["check"] if changing else (
        reverse("surveys:page", args=[partnership_slug, consultation_slug, number - 1]) if number > 1 else urls["start"]
    )  # fmt: skip
    return render(
        request,
        "surveys/page.html",
        {
            "consultation": consultation,
            "survey": survey,
            "page": current,
            "page_count": len(pages),
            "form": form,
            "back_url": back_url,
        },
    )


def check_answers(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    consultation, survey = _survey_or_404(request, partnership_slug, consultation_slug)
    journey = Journey(request.session, survey)
    if request.method == "POST":
        return _submit(request, consultation, survey, journey)
    if not consultation.is_open:
        return _closed(request, consultation, survey)
    if not journey.started:
        return redirect("surveys:start", partnership_slug, consultation_slug)
    answers, problem, checked = journey.validated_answers()
    if problem is not None:
        messages.error(request, _problem_message(journey, problem))
        return redirect("surveys:page", partnership_slug, consultation_slug, problem.number)
    return render(
        request,
        "surveys/check_answers.html",
        {
            "consultation": consultation,
            "survey": survey,
            "checked": checked,
            "token": journey.token,
            "back_url": reverse("surveys:page", args=[partnership_slug, consultation_slug, len(checked)]),
        },
    )


def _submit(request: HttpRequest, consultation, survey: Survey, journey: Journey) -> HttpResponse:
    args = [consultation.partnership.slug, consultation.slug]
    posted_token = _as_uuid(request.POST.get("submission_token"))
    if posted_token:
        # A double click or a resent form: show the confirmation of the response already stored.
        existing = Response.objects.filter(survey=survey, submission_token=posted_token).first()
        if existing:
            return redirect("surveys:confirmation", *args, existing.reference)
    if not consultation.is_open:
        return _closed(request, consultation, survey, answers_not_sent=True)
    if journey.token is None or posted_token != journey.token:
        messages.error(request, "Your answers were no longer saved, so we could not send them. Please start again.")
        return redirect("surveys:start", *args)
    answers, problem, _ = journey.validated_answers()
    if problem is not None:
        messages.error(request, _problem_message(journey, problem))
        return redirect("surveys:page", *args, problem.number)
    _note_honeypot(request, journey)
    reasons = set(journey.flags)
    if journey.seconds_taken < survey.minimum_seconds:
        reasons.add("answered too fast")
    window = settings.SURVEY_RATE_LIMIT_WINDOW_SECONDS
    rate_limited = ratelimit.would_go_over_limit(
        request, "survey-response", limit=settings.SURVEY_RATE_LIMIT, window_seconds=window
    )
    if rate_limited:
        reasons.add("many responses from one connection")
    response, created = submit_response(
        survey=survey, answers=answers, submission_token=posted_token, held_because=reasons
    )
    if created:  # a second click that raced the first stores nothing, and is not counted
        ratelimit.record_hit(request, "survey-response", window_seconds=window)
    journey.finish(response.reference)
    if rate_limited:
        request.session["rate_limited_reference"] = response.reference
    return redirect("surveys:confirmation", *args, response.reference)


def _problem_message(journey: Journey, problem) -> str:
    """Say what actually happened: a page never answered (or whose answers were not kept), or one
    whose answers no longer fit (a question changed, say)."""
    if journey.stored_data(problem.section) is None:
        return (
            "We do not have your answers to this page. If you answered it before, they were not kept "
            f"(answers are kept for {settings.SURVEY_ANSWERS_KEPT_DAYS} days after your last page). "
            "Answer it, then continue."
        )
    return "Some answers on this page need changing. Check them, then continue."


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def confirmation(request: HttpRequest, partnership_slug: str, consultation_slug: str, reference: str) -> HttpResponse:
    consultation, survey = _survey_or_404(request, partnership_slug, consultation_slug)
    if not survey.responses.filter(reference=reference).exists():
        raise Http404("No such response")
    return render(
        request,
        "surveys/confirmation.html",
        {
            "consultation": consultation,
            "survey": survey,
            "reference": reference,
            "held_for_rate_limit": request.session.get("rate_limited_reference") == reference,
        },
    )


def privacy_notice(request: HttpRequest, partnership_slug: str, consultation_slug: str) -> HttpResponse:
    """The survey's own privacy notice: every value shown is the one stored and enforced."""
    consultation, survey = _survey_or_404(request, partnership_slug, consultation_slug)
    return render(
        request,
        "surveys/privacy_notice.html",
        {
            "consultation": consultation,
            "survey": survey,
            "has_about_you": survey.sections.filter(is_about_you=True).exists(),
            "threshold": settings.SMALL_NUMBER_THRESHOLD,
            "kept_days": settings.SURVEY_ANSWERS_KEPT_DAYS,
            "breadcrumbs": [(consultation.title, consultation.get_absolute_url())],
        },
    )


# Withdrawing a response. Whatever is typed, the pages say the same thing: nobody can find out from
# them whether a reference exists. References cannot be guessed, and attempts are rate-limited.


def _withdraw_limited(request: HttpRequest) -> bool:
    return ratelimit.is_over_limit(
        request,
        "withdraw",
        limit=settings.WITHDRAW_RATE_LIMIT,
        window_seconds=settings.WITHDRAW_RATE_LIMIT_WINDOW_SECONDS,
    )


TOO_MANY_ATTEMPTS = "You have tried a lot of references from this connection. Try again in an hour."


def withdraw(request: HttpRequest) -> HttpResponse:
    form = ReferenceForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not _withdraw_limited(request):
            return render(request, "surveys/withdraw_confirm.html", {"reference": form.cleaned_data["reference"]})
        form.add_error(None, TOO_MANY_ATTEMPTS)
        status = 429
    return render(request, "surveys/withdraw.html", {"form": form}, status=status)


@require_POST
def withdraw_confirm(request: HttpRequest) -> HttpResponse:
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        return render(request, "surveys/withdraw.html", {"form": form})
    if _withdraw_limited(request):
        form.add_error(None, TOO_MANY_ATTEMPTS)
        return render(request, "surveys/withdraw.html", {"form": form}, status=429)
    withdraw_response(reference=form.cleaned_data["reference"])
    return redirect("surveys:withdraw-done")


def withdraw_done(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/withdraw_done.html")
