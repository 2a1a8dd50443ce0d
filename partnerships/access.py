"""Who may see and change what: partnership staff, the public, and previews.

Every partnership-owned model says how it reaches its partnership in ``partnership_path`` (a
lookup such as ``"consultation__partnership"``; ``""`` for Partnership itself; a many-to-many
name, such as news items' ``"partnerships"``, for content shared by several). From that one
declaration:

- ``editable_partnerships`` / ``owned_by``: what a member of staff may change, used by every admin;
- ``get_visible_or_404`` / ``visible_or_none``: what a page may show. The public sees what
  ``.public()`` allows (see common.publishing); an editor of the owning partnership also sees the
  rest, marked ``is_preview`` so the page says so. Everyone else gets "Page not found".
"""

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from partnerships.models import Partnership, Plan

User = AbstractBaseUser | AnonymousUser


def _is_active_staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def editable_partnerships(user: User) -> QuerySet[Partnership]:
    if not _is_active_staff(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(editors=user)


def can_edit_any(user: User, partnership_ids) -> bool:
    ids = [pk for pk in partnership_ids if pk is not None]
    if not (ids and _is_active_staff(user)):
        return False
    return user.is_superuser or editable_partnerships(user).filter(pk__in=ids).exists()


def _path_is_many(model: type[Model], path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many:
            return True
        model = field.related_model
    return False


def owned_by(queryset: QuerySet, partnerships: QuerySet[Partnership]) -> QuerySet:
    """The rows of ``queryset`` that belong to one of ``partnerships`` (each row once)."""
    model = queryset.model
    path = model.partnership_path
    if not path:
        return queryset.filter(pk__in=partnerships)
    if _path_is_many(model, path):
        # A subquery, not a join: an item shared by two of the partnerships is listed once.
        return queryset.filter(pk__in=model._default_manager.filter(**{f"{path}__in": partnerships}).values("pk"))
    return queryset.filter(**{f"{path}__in": partnerships})


def partnership_ids(obj: Model) -> list[int]:
    """The ids of the partnerships ``obj`` belongs to, from what is already loaded where possible."""
    path = type(obj).partnership_path
    if not path:
        return [obj.pk]
    *parents, last = path.split("__")
    for name in parents:
        obj = getattr(obj, name)
    field = obj._meta.get_field(last)
    if field.many_to_many:
        return [partnership.pk for partnership in getattr(obj, last).all()]
    return [getattr(obj, field.attname)]


def visible_or_none(request: HttpRequest, obj: Model | None):
    """``obj`` if the public may see it, or (marked ``is_preview``) if this person edits it; else None."""
    if obj is None:
        return None
    obj.is_preview = not obj.is_public
    if obj.is_preview and not can_edit_any(request.user, partnership_ids(obj)):
        return None
    if obj.is_preview:
        request.shows_preview = True  # kept out of shared caches (common.middleware)
    return obj


def get_visible_or_404(request: HttpRequest, queryset: QuerySet, **lookup):
    """The object, if the public may see it or this person edits it (as a preview); else 404.

    Give a queryset that select_related()s what ``published_with`` walks through, so deciding
    costs no extra query for the public.
    """
    obj = visible_or_none(request, get_object_or_404(queryset, **lookup))
    if obj is None:
        raise Http404(f"No such {queryset.model._meta.verbose_name}")
    return obj


def get_partnership_or_404(request: HttpRequest, slug: str, queryset: QuerySet | None = None) -> Partnership:
    return get_visible_or_404(request, Partnership.objects.all() if queryset is None else queryset, slug=slug)


def visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """For lists: what the public may see, plus (for staff) their own partnerships' unpublished items."""
    public = queryset.public()
    if not _is_active_staff(user):
        return public
    mine = owned_by(queryset, editable_partnerships(user))
    return queryset.filter(pk__in=public.values("pk")) | mine


# Admin: every partnership-owned admin is limited to the partnerships the member of staff edits.


class PartnershipScopedMixin:
    """Limits an admin to the partnerships the member of staff edits (superusers see everything).

    Because the admin fetches single objects through ``get_queryset``, objects outside the scope
    are missing by any URL (change, delete, history), not just hidden from the list. Choices of
    partnership and plan in forms are limited the same way.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return owned_by(queryset, editable_partnerships(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership:
            kwargs["queryset"] = editable_partnerships(request.user)
        elif db_field.related_model is Plan:
            kwargs["queryset"] = owned_by(Plan.objects.all(), editable_partnerships(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OwnPartnershipsFilter(admin.RelatedFieldListFilter):
    """Filter by partnership, offering only the partnerships the member of staff edits."""

    def field_choices(self, field, request, model_admin):
        return [(partnership.pk, partnership.name) for partnership in editable_partnerships(request.user)]
