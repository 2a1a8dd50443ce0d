from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from consultations.models import Consultation, ConsultationDocument, DiscussionRequest
from partnerships.admin import PartnershipScopedMixin, PublicationListMixin
from surveys.models import Response

# Shared with the survey admin: one plain sentence instead of Django's list of protected objects.
PROTECTED_DELETE_TEMPLATE = "admin/surveys/protected_delete_confirmation.html"
PROTECTED_DELETE_SELECTED_TEMPLATE = "admin/surveys/protected_delete_selected_confirmation.html"


class StateListFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = [Consultation.State.FORTHCOMING, Consultation.State.OPEN, Consultation.State.CLOSED]
        return [(state.value, state.label) for state in states]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == Consultation.State.FORTHCOMING:
            return queryset.forthcoming(now)
        if self.value() == Consultation.State.OPEN:
            return queryset.open(now)
        if self.value() == Consultation.State.CLOSED:
            return queryset.closed(now)
        return queryset


class ConsultationDocumentInline(admin.TabularInline):
    model = ConsultationDocument
    extra = 0
    fields = ["title", "file", "order", "placeholder_note"]


@admin.register(Consultation)
class ConsultationAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "state_label", "publication_status", "public_now", "has_placeholder"]
    list_filter = [StateListFilter, "publication_status"]
    list_select_related = ["partnership"]
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
    delete_confirmation_template = PROTECTED_DELETE_TEMPLATE
    delete_selected_confirmation_template = PROTECTED_DELETE_SELECTED_TEMPLATE

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

    def get_deleted_objects(self, objs, request):
        # Deleting a consultation would delete its survey, whose responses are protected. Say so
        # plainly rather than list every response.
        answered = (
            Response.objects.filter(survey__consultation__in=objs)
            .values("survey__consultation__title")
            .annotate(count=Count("pk"))
            .order_by("survey__consultation__title")
        )
        reasons = [
            f"“{row['survey__consultation__title']}” has {row['count']} "
            f"{'response' if row['count'] == 1 else 'responses'} to its survey. "
            "Set its publication to Draft to take it off the website instead."
            for row in answered
        ]
        if reasons:
            return [], {}, set(), reasons
        return super().get_deleted_objects(objs, request)


@admin.register(DiscussionRequest)
class DiscussionRequestAdmin(PartnershipScopedMixin, admin.ModelAdmin):
    partnership_path = "consultation__partnership"
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
