"""Admin helpers every app's admin uses: publication columns, and refusing to delete what people answered."""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import render


class PublicationListMixin:
    @admin.display(description="Public now", boolean=True)
    def public_now(self, obj) -> bool:
        return obj.is_published

    @admin.display(description="Placeholder", boolean=True)
    def has_placeholder(self, obj) -> bool:
        return obj.is_placeholder


class RefuseDeletingAnsweredMixin:
    """A ModelAdmin whose objects cannot be deleted once people have answered them.

    Instead of Django's list of every protected row, the delete pages say in one plain sentence
    per object why it is kept. Subclasses give ``answered_counts(objs)``: {pk: how many answers or
    responses} for the objects that have any, and ``refusal(obj, count)``: the sentence.
    """

    delete_confirmation_template = "admin/common/answered_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/common/answered_delete_selected_confirmation.html"

    def answered_counts(self, objs) -> dict[int, int]:
        raise NotImplementedError

    def refusal(self, obj, count: int) -> str:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        counts = self.answered_counts(objs)
        reasons = [self.refusal(obj, counts[obj.pk]) for obj in objs if counts.get(obj.pk)]
        if reasons:
            return [], {}, set(), reasons
        return super().get_deleted_objects(objs, request)


class RefuseDeletingAnsweredFormSet(BaseInlineFormSet):
    """An inline formset that refuses to delete rows people have answered, one plain sentence each.

    Subclasses give ``answered_counts(ids)`` and ``refusal(instance, count)`` as for the mixin above.
    The check runs before Django's own, which would list every protected answer.
    """

    def answered_counts(self, ids: Iterable[int]) -> dict[int, int]:
        raise NotImplementedError

    def refusal(self, instance, count: int) -> str:
        raise NotImplementedError

    def clean(self):
        doomed = {
            form.instance.pk: form.instance
            for form in self.forms
            if form.instance.pk and hasattr(form, "cleaned_data") and self._should_delete_form(form)
        }
        if doomed:
            counts = self.answered_counts(doomed)
            errors = [self.refusal(doomed[pk], count) for pk, count in sorted(counts.items()) if count]
            if errors:
                raise ValidationError(errors)
        super().clean()


class ChangeFormWarningMixin:
    """Show ``change_form_warning(obj)`` (if it returns one) at the top of an object's change form."""

    def change_form_warning(self, obj) -> str | None:
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        warning = self.change_form_warning(obj) if obj is not None else None
        if warning:
            self.message_user(request, warning, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


def staff_page(request, template: str, context: dict, status: int = 200):
    """A staff page outside the admin's own views, in the admin's frame: its header, and the
    signed-in person's links (change password, log out)."""
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)
