from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.admin import ChangeFormWarningMixin, PublicationListMixin, RefuseDeletingAnsweredMixin
from common.text import pluralise
from consultations import services
from consultations.models import (
    Consultation,
    ConsultationDocument,
    DiscussionRequest,
    Outcome,
    OutcomeAction,
    OutcomeNotification,
    Subscription,
)
from partnerships.access import PartnershipScopedMixin, editable_partnerships, owned_by
from surveys.models import Question, Response


class StateListFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Consultation.State.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        with_results = Outcome.objects.published().values("consultation_id")
        if self.value() == Consultation.State.FORTHCOMING:
            return queryset.forthcoming(now)
        if self.value() == Consultation.State.OPEN:
            return queryset.open(now)
        if self.value() == Consultation.State.CLOSED:
            return queryset.closed(now).exclude(pk__in=with_results)
        if self.value() == Consultation.State.RESULTS_PUBLISHED:
            return queryset.closed(now).filter(pk__in=with_results)
        return queryset


class ConsultationDocumentInline(admin.TabularInline):
    model = ConsultationDocument
    extra = 0
    fields = ["title", "file", "order", "placeholder_note"]


@admin.register(Consultation)
class ConsultationAdmin(
    ChangeFormWarningMixin, RefuseDeletingAnsweredMixin, PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin
):
    list_display = ["title", "partnership", "state_label", "publication_status", "public_now", "has_placeholder"]
    list_filter = [StateListFilter, "publication_status"]
    list_select_related = ["partnership", "outcome"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ConsultationDocumentInline]
    readonly_fields = ["survey_link"]
    fieldsets = [
        (None, {"fields": ["partnership", "plan", "title", "slug", "summary", "audience", "placeholder_note"]}),
        ("Dates", {"fields": ["opens_at", "closes_at"]}),
        ("Publishing", {"fields": ["publication_status", "publish_at"]}),
        ("Content", {"fields": ["body", "how_responses_are_used"]}),
        ("Contact", {"fields": ["contact_name", "contact_email"]}),
        ("Survey", {"fields": ["survey_link"]}),
    ]

    def change_form_warning(self, consultation: Consultation) -> str | None:
        if consultation.contact_email:
            return None
        return (
            "This consultation has no contact email: questions and discussion requests about it go to "
            f"{consultation.contact_email_or_partnership}. Add one under Contact if someone else should get them."
        )

    @admin.display(description="State")
    def state_label(self, obj: Consultation) -> str:
        return obj.state().label

    @admin.display(description="Online survey")
    def survey_link(self, obj: Consultation) -> str:
        if obj.pk is None:
            return "Save the consultation first, then add its survey."
        survey = getattr(obj, "survey", None)
        if survey is None:
            url = reverse("admin:surveys_survey_add") + f"?consultation={obj.pk}"
            return format_html('No survey yet. <a href="{}">Add a survey</a>', url)
        return format_html(
            '<a href="{}">Change the survey</a>', reverse("admin:surveys_survey_change", args=[survey.pk])
        )

    def answered_counts(self, objs) -> dict[int, int]:
        # Deleting a consultation would delete its survey, whose responses must be kept.
        counts = Response.objects.filter(survey__consultation__in=objs).order_by().values("survey__consultation_id")
        return dict(counts.annotate(count=Count("pk")).values_list("survey__consultation_id", "count"))

    def refusal(self, obj: Consultation, count: int) -> str:
        return (
            f"“{obj.title}” has {pluralise(count, 'response')} to its survey. "
            "Set its publication to Draft to take it off the website instead."
        )


@admin.register(DiscussionRequest)
class DiscussionRequestAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    list_display = ["group_name", "consultation", "created_at", "status"]
    list_filter = ["status", ("consultation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["consultation"]
    search_fields = ["group_name", "contact_name", "email"]
    date_hierarchy = "created_at"
    request_fields = [
        "consultation",
        "group_name",
        "contact_name",
        "email",
        "group_size",
        "preferred_format",
        "preferred_dates",
        "message",
        "created_at",
    ]
    readonly_fields = request_fields
    fieldsets = [
        ("The request", {"fields": request_fields}),
        ("What we did", {"fields": ["status", "staff_notes"]}),
    ]

    def has_add_permission(self, request):
        # Requests come from community groups through the public form.
        return False


class OutcomeActionInline(admin.StackedInline):
    model = OutcomeAction
    extra = 0
    fields = [("title", "status"), ("date", "order"), "note"]
    verbose_name = "action (what we did)"
    verbose_name_plural = "actions (what we did)"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


@admin.register(Outcome)
class OutcomeAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    """What we heard and what we did. Publishing it (once the consultation has closed) emails the
    people who asked to be told, once each."""

    list_display = ["consultation", "partnership", "publication_status", "public_now", "has_placeholder"]
    list_filter = ["publication_status"]
    list_select_related = ["consultation__partnership"]
    search_fields = ["consultation__title"]
    inlines = [OutcomeActionInline]
    readonly_fields = ["email_updates"]

    @admin.display(description="Partnership")
    def partnership(self, obj: Outcome) -> str:
        return obj.consultation.partnership.name

    def get_fieldsets(self, request, obj=None):
        heard = ["what_we_heard", "key_questions"] if obj is not None else ["what_we_heard"]
        return [
            (None, {"fields": ["consultation", "placeholder_note"]}),
            ("What we heard", {"fields": heard}),
            ("What we did", {"fields": ["what_we_did"]}),
            ("Publishing", {"fields": ["publication_status", "publish_at", "email_updates"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # The consultation is chosen once: the key figure questions belong to its survey.
        return [*self.readonly_fields, "consultation"] if obj is not None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Consultation:
            kwargs["queryset"] = owned_by(
                Consultation.objects.filter(outcome__isnull=True), editable_partnerships(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "key_questions" in form.base_fields:
            field = form.base_fields["key_questions"]
            field.widget = forms.CheckboxSelectMultiple()
            field.queryset = Question.objects.filter(
                survey__consultation=obj.consultation, kind__in=Question.CHOICE_KINDS
            ).order_by("section__order", "order", "pk")
            if not field.queryset.exists():
                field.help_text = "This consultation has no survey questions with answers to choose from."
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "key_questions":
            kwargs["queryset"] = Question.objects.none()  # narrowed to the consultation's survey in get_form
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Email updates")
    def email_updates(self, obj: Outcome | None) -> str:
        if obj is None or obj.pk is None:
            return "People who asked to be told are emailed once this is published."
        waiting = Subscription.objects.active().filter(consultation_id=obj.consultation_id).count()
        sent = OutcomeNotification.objects.filter(outcome=obj, sent_at__isnull=False).count()
        return (
            f"{pluralise(waiting, 'person has', 'people have')} confirmed they want an email; "
            f"{pluralise(sent, 'email has', 'emails have')} been sent. Each person gets one email, "
            "however often you save or publish."
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the key questions and actions are saved, in the admin's transaction.
        services.outcome_saved(outcome=form.instance)
