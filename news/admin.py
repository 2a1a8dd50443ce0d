from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.utils.html import format_html

from common.admin import PublicationListMixin
from common.uploads import NOT_AN_IMAGE
from news.models import ALT_TEXT_MISSING, Event, IssueRaised, NewsItem, Photo, Quote, Workshop
from partnerships.access import OwnPartnershipsFilter, PartnershipScopedMixin, editable_partnerships
from partnerships.models import Partnership


class SharedPartnershipsScopedMixin(PartnershipScopedMixin):
    """PartnershipScopedMixin for content shared by several partnerships (a ``partnerships`` M2M).

    An editor sees an item if at least one of its partnerships is theirs, and may only tick their
    own partnerships. Saving keeps the item's other partnerships, which the editor cannot see.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partnerships")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership:
            kwargs["queryset"] = editable_partnerships(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        others = []
        if change and not request.user.is_superuser:
            others = list(form.instance.partnerships.exclude(pk__in=editable_partnerships(request.user)))
        super().save_related(request, form, formsets, change)
        if others:
            form.instance.partnerships.add(*others)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "all_partnerships"]

    def get_fieldsets(self, request, obj=None):
        # Superusers see every partnership in the list itself; editors also need to know who else shares it.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "all_partnerships"]})
            for name, options in fieldsets
        ]

    @admin.display(description="All its partnerships")
    def all_partnerships(self, obj) -> str:
        return ", ".join(partnership.name for partnership in obj.partnerships.all())

    @admin.display(description="Partnerships")
    def partnership_names(self, obj) -> str:
        return ", ".join(partnership.name for partnership in obj.partnerships.all())


class ImageInput(AdminFileWidget):
    """The admin's file input without its link to the uploaded original (which the site never serves)."""

    template_name = "news/admin/image_input.html"


def preview(picture) -> str:
    if not picture:
        return "–"
    return format_html('<img src="{}" alt="" width="160">', picture.src)


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "order"]
        widgets = {"image": ImageInput}
        error_messages = {"alt_text": {"required": ALT_TEXT_MISSING}, "image": {"invalid_image": NOT_AN_IMAGE}}


class PhotoInline(admin.StackedInline):
    model = Photo
    form = PhotoForm
    extra = 0
    fields = ["image", "image_preview", "alt_text", "caption", "order"]
    readonly_fields = ["image_preview"]

    @admin.display(description="Preview")
    def image_preview(self, obj) -> str:
        return preview(obj.picture) if obj.pk else "–"


SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 0
    formfield_overrides = SHORT_TEXT
    fields = ["title", "description", "order"]


class IssueRaisedInline(admin.TabularInline):
    model = IssueRaised
    extra = 0
    formfield_overrides = SHORT_TEXT
    fields = ["text", "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "speaker_name", "speaker_role", "order"]


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        # The admin's fieldsets list the rest; these two are the ones this form changes.
        fields = ["lead_image", "lead_image_alt"]
        widgets = {"lead_image": ImageInput}
        error_messages = {"lead_image": {"invalid_image": NOT_AN_IMAGE}}


@admin.register(NewsItem)
class NewsItemAdmin(SharedPartnershipsScopedMixin, PublicationListMixin, admin.ModelAdmin):
    form = NewsItemForm
    list_display = [
        "title", "kind", "date", "partnership_names", "publication_status", "public_now", "has_placeholder",
    ]  # fmt: skip
    list_filter = ["kind", "publication_status", ("partnerships", OwnPartnershipsFilter)]
    search_fields = ["title", "summary"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partnerships"]
    inlines = [WorkshopInline, IssueRaisedInline, QuoteInline, PhotoInline]
    readonly_fields = ["lead_image_preview"]
    fieldsets = [
        (None, {"fields": ["kind", "partnerships", "all_partnerships", "title", "slug", "summary"]}),
        ("Publishing", {"fields": ["publication_status", "publish_at", "placeholder_note"]}),
        ("Date", {"fields": ["date", "date_precision"]}),
        ("Story", {"fields": ["body", "lead_image", "lead_image_preview", "lead_image_alt"]}),
        (
            "Event write-up",
            {
                "fields": [
                    "venue_name",
                    "venue_address",
                    "opened_by_name",
                    "opened_by_role",
                    "workshops_introduction",
                    "issues_introduction",
                    "gallery_title",
                ],
                "description": "For event write-ups. Add workshops, issues raised, quotes and photos below.",
            },
        ),
        ("Closing the loop", {"fields": ["next_steps", "notes"]}),
    ]

    @admin.display(description="Lead image preview")
    def lead_image_preview(self, obj) -> str:
        return preview(obj.lead_picture) if obj and obj.pk else "–"


@admin.register(Event)
class EventAdmin(SharedPartnershipsScopedMixin, PublicationListMixin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "attendance", "partnership_names", "publication_status", "public_now"]
    list_filter = ["attendance", "publication_status", ("partnerships", OwnPartnershipsFilter)]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partnerships"]
    fieldsets = [
        (None, {"fields": ["partnerships", "all_partnerships", "title", "slug", "description"]}),
        ("Publishing", {"fields": ["publication_status", "publish_at", "placeholder_note"]}),
        ("When and where", {"fields": ["starts_at", "ends_at", "attendance", "venue_name", "address"]}),
        ("Booking and access", {"fields": ["how_to_book", "booking_url", "accessibility"]}),
    ]
