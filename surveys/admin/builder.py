"""The survey builder: a consultation's survey and its sections (pages).

Questions and choices are in ``questions.py``; paper entry and the About you section add their
own pages to this admin through mixins.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from common.admin import PublicationListMixin, RefuseDeletingAnsweredFormSet, RefuseDeletingAnsweredMixin
from common.text import pluralise
from partnerships.access import PartnershipScopedMixin, editable_partnerships, owned_by
from surveys.about_you import has_about_you_section
from surveys.admin.about_you import AboutYouAdminMixin
from surveys.admin.base import SurveyPageMixin
from surveys.admin.entry import PaperEntryAdminMixin
from surveys.models import Answer, Response, Section, Survey


class SectionInlineFormSet(RefuseDeletingAnsweredFormSet):
    def answered_counts(self, ids) -> dict[int, int]:
        counts = Answer.objects.filter(question__section_id__in=ids).values("question__section_id")
        return dict(counts.annotate(count=Count("pk")).order_by().values_list("question__section_id", "count"))

    def refusal(self, section: Section, count: int) -> str:
        return (
            f"The section “{section.title}” has questions people have already answered, so it cannot be deleted. "
            "Untick “Delete”."
        )


class SectionInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        unticked = self.initial.get("is_about_you") and not cleaned.get("is_about_you")
        if self.instance.pk and unticked and Answer.objects.filter(question__section=self.instance).exists():
            # Equality answers were given on the promise that they are only shown in aggregate.
            self.add_error(
                "is_about_you",
                "People have answered this section on the promise that their answers are only shown in groups, "
                "so it stays an ‘About you’ section",
            )
        return cleaned


class SectionInline(admin.TabularInline):
    model = Section
    form = SectionInlineForm
    formset = SectionInlineFormSet
    extra = 0
    fields = ["title", "description", "is_about_you", "order", "questions"]
    readonly_fields = ["questions"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 30})}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions")
    def questions(self, section: Section) -> str:
        if section.pk is None:
            return "Save first, then add questions"
        listing = reverse("admin:surveys_question_changelist") + f"?survey={section.survey_id}"
        add = reverse("admin:surveys_question_add") + f"?section={section.pk}"
        count = getattr(section, "question_count", None)
        if count is None:
            count = section.questions.count()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">Add a question</a>', listing, pluralise(count, "question"), add
        )


@admin.register(Survey)
class SurveyAdmin(
    AboutYouAdminMixin,
    PaperEntryAdminMixin,
    SurveyPageMixin,
    RefuseDeletingAnsweredMixin,
    PartnershipScopedMixin,
    PublicationListMixin,
    admin.ModelAdmin,
):
    list_display = [
        "consultation", "partnership", "accepted_responses", "held_responses", "dashboard", "has_placeholder"
    ]  # fmt: skip
    list_select_related = ["consultation__partnership"]
    search_fields = ["consultation__title"]
    fieldsets = [
        (None, {"fields": ["consultation", "introduction", "minimum_seconds", "placeholder_note"]}),
        (
            "Privacy notice",
            {
                "fields": [
                    "who_is_collecting",
                    "why_collecting",
                    "retention_months",
                    "lawful_basis",
                    "equality_condition",
                    "data_controller",
                    "data_protection_contact",
                    "notice_check",
                ],
                "description": "Shown on the survey's start page and in its privacy notice. Answers are deleted "
                "automatically when the retention period ends.",
            },
        ),
    ]
    inlines = [SectionInline]
    actions = ["add_about_you"]
    change_form_template = "admin/surveys/survey/change_form.html"

    def get_queryset(self, request):
        accepted = Q(responses__status=Response.Status.ACCEPTED)
        held = Q(responses__status=Response.Status.HELD)
        return (
            super()
            .get_queryset(request)
            .annotate(accepted_count=Count("responses", filter=accepted), held_count=Count("responses", filter=held))
        )

    @admin.display(description="Partnership", ordering="consultation__partnership__name")
    def partnership(self, survey: Survey):
        return survey.consultation.partnership

    @admin.display(description="Responses", ordering="accepted_count")
    def accepted_responses(self, survey: Survey) -> int:
        return survey.accepted_count

    @admin.display(description="Held for review", ordering="held_count")
    def held_responses(self, survey: Survey) -> int:
        return survey.held_count

    def get_list_display(self, request):
        if request.user.has_perm("surveys.view_dashboard"):
            return self.list_display
        return [name for name in self.list_display if name != "dashboard"]

    @admin.display(description="Dashboard")
    def dashboard(self, survey: Survey) -> str:
        return format_html('<a href="{}">See the responses</a>', reverse("reporting:survey", args=[survey.pk]))

    def get_readonly_fields(self, request, obj=None):
        # A survey's answers belong to its consultation: it never moves to another one.
        return ["consultation", "notice_check"] if obj else ["notice_check"]

    @admin.display(description="What residents are told")
    def notice_check(self, survey: Survey) -> str:
        if survey.pk is None:
            return "Save the survey first."
        missing = []
        if not survey.controller:
            missing.append("the data controller")
        if not survey.protection_contact:
            missing.append("the data protection officer's email")
        if missing:
            return format_html(
                "<strong>Add {} here or on the partnership’s page:</strong> the privacy notice cannot say it.",
                " and ".join(missing),
            )
        return format_html(
            "Data controller: {}. Data protection officer: {}. Answers are deleted on {}.",
            survey.controller,
            survey.protection_contact,
            f"{survey.erase_after:%-d %B %Y}",
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "consultation":
            # Consultations of the editor's partnerships that have no survey yet.
            consultations = db_field.related_model.objects.filter(survey__isnull=True)
            kwargs["queryset"] = owned_by(consultations, editable_partnerships(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def answered_counts(self, objs) -> dict[int, int]:
        counts = Response.objects.filter(survey__in=objs).values("survey_id").annotate(count=Count("pk"))
        return dict(counts.order_by().values_list("survey_id", "count"))

    def refusal(self, survey: Survey, count: int) -> str:
        return f"“{survey}” has {pluralise(count, 'response')}, which must be kept."

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = self.get_object(request, unquote(object_id))
        extra = {}
        if survey is not None:
            extra = {
                "has_about_you": has_about_you_section(survey),
                "can_add_about_you": self.has_change_permission(request, survey),
                "can_enter_responses": request.user.has_perm("surveys.add_response"),
                "responses_url": reverse("admin:surveys_response_changelist") + f"?survey={survey.pk}",
                "questions_url": reverse("admin:surveys_question_changelist") + f"?survey={survey.pk}",
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
