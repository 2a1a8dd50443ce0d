from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from common.admin import ChangeFormWarningMixin, PublicationListMixin
from partnerships.access import OwnPartnershipsFilter, PartnershipScopedMixin, editable_partnerships
from partnerships.models import (
    Borough,
    CaseForChangeIssue,
    Membership,
    Organisation,
    Partnership,
    Plan,
    PlanDocument,
    Priority,
    Video,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "order"]


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0
    fields = ["kind", "title", "description", "order"]


class CaseForChangeInline(admin.TabularInline):
    model = CaseForChangeIssue
    extra = 0
    fields = ["text", "order"]


@admin.register(Partnership)
class PartnershipAdmin(ChangeFormWarningMixin, PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "operating_status", "publication_status", "public_now", "has_placeholder"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PriorityInline, CaseForChangeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "borough", "boroughs", "summary", "placeholder_note"]}),
        ("Publishing", {"fields": ["publication_status", "publish_at", "display_order"]}),
        ("About", {"fields": ["about", "vision", "reports_into", "established_on", "history"]}),
        ("Status", {"fields": ["operating_status", "status_explanation"]}),
        ("Priorities and case for change", {"fields": ["priorities_introduction", "case_for_change_introduction"]}),
        ("Contact", {"fields": ["contact_name", "contact_email", "contact_phone", "website_url"]}),
        (
            "Data protection",
            {
                "fields": ["data_controller", "data_protection_contact"],
                "description": "Shown in the privacy notice of every survey of this partnership, unless the survey "
                "names its own.",
            },
        ),
        ("Staff", {"fields": ["editors"]}),
    ]

    def change_form_warning(self, partnership: Partnership) -> str | None:
        if partnership.contact_email:
            return None
        return (
            "This partnership has no contact email: residents' messages to it go to the website's inbox "
            f"({settings.SITE_CONTACT_EMAIL}). Add one under Contact so that they reach you directly."
        )

    filter_horizontal = ["boroughs", "editors"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [fs for fs in fieldsets if fs[0] != "Staff"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["slug", "kind"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_type"]
    list_filter = ["organisation_type"]
    search_fields = ["name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.for_partnerships(editable_partnerships(request.user))


class PlanDocumentInline(admin.TabularInline):
    model = PlanDocument
    extra = 0
    fields = ["kind", "title", "file", "order", "placeholder_note"]


@admin.register(Plan)
class PlanAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "stage", "publication_status", "public_now", "has_placeholder"]
    list_filter = [("partnership", OwnPartnershipsFilter), "stage", "publication_status"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["approving_bodies"]
    inlines = [PlanDocumentInline]
    fieldsets = [
        (None, {"fields": ["partnership", "title", "slug", "summary", "placeholder_note"]}),
        ("Publishing", {"fields": ["publication_status", "publish_at"]}),
        ("Stage", {"fields": ["stage", "approved_on", "approving_bodies", "superseded_by"]}),
        ("Content", {"fields": ["executive_summary", "body"]}),
    ]


@admin.register(Video)
class VideoAdmin(PartnershipScopedMixin, PublicationListMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "plan", "has_placeholder"]
    list_filter = [("partnership", OwnPartnershipsFilter)]
    fields = ["partnership", "plan", "title", "youtube_id", "transcript", "placeholder_note"]


@admin.register(Borough)
class BoroughAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PartnershipAccessInline(admin.TabularInline):
    model = Partnership.editors.through
    extra = 0
    verbose_name = "partnership this person edits"
    verbose_name_plural = "partnerships this person edits"


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [PartnershipAccessInline]
