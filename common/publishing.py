"""Publishing: drafts, publish dates, and the one rule for what the public may see.

The rule: a thing is public when it is published (status Published, publish date passed) and
so is everything it belongs to. A model names what it belongs to in ``published_with``: a plan
is public only while its partnership is; an outcome only while its consultation is (and so, in
turn, that consultation's partnership). A many-to-many name means "at least one of them": a news
item shared by two partnerships is public while either is.

``.public()`` is the rule as SQL, ``.is_public`` the same rule on one object. Nothing else in the
site re-derives it: previews for editors are decided in ``partnerships.access``.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class PlaceholderMixin(models.Model):
    """Marks content written to fill a gap in the source documents, so editors replace it."""

    placeholder_note = models.CharField(
        "placeholder content",
        max_length=300,
        blank=True,
        help_text="If any of this is placeholder text, say what needs replacing. Clear it once done.",
    )

    class Meta:
        abstract = True

    @property
    def is_placeholder(self) -> bool:
        return bool(self.placeholder_note)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published in its own right; says nothing of what it belongs to (see ``public``)."""
        if not issubclass(self.model, Publishable):
            return self
        return self.filter(publication_status=PublicationStatus.PUBLISHED, publish_at__lte=now or timezone.now())

    def public(self, now=None):
        """What the public may see: published, and so is what it belongs to, all the way up."""
        now = now or timezone.now()
        queryset = self.published(now)
        for name in self.model.published_with:
            field = self.model._meta.get_field(name)
            owners = field.related_model._default_manager.public(now)
            if field.many_to_many:
                through = field.remote_field.through._default_manager.filter(
                    **{field.m2m_field_name(): OuterRef("pk"), f"{field.m2m_reverse_field_name()}__in": owners}
                )
                queryset = queryset.filter(Exists(through))
            else:
                queryset = queryset.filter(Q(**{f"{name}__in": owners}))
        return queryset


class BelongsToPublishable(models.Model):
    """Content with no publication status of its own: public exactly when what it belongs to is.

    Subclasses name what they belong to in ``published_with`` (a foreign key or many-to-many field
    whose model has ``.public()``), and use ``PublishableQuerySet`` for their manager.
    """

    published_with: ClassVar[tuple[str, ...]] = ()

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        """The rule of ``PublishableQuerySet.public`` for this object (views select_related its owners)."""
        if not self._is_published_itself():
            return False
        for name in self.published_with:
            field = self._meta.get_field(name)
            if field.many_to_many:
                if not any(owner.is_public for owner in getattr(self, name).all()):
                    return False
            else:
                owner = getattr(self, name)
                if owner is None or not owner.is_public:
                    return False
        return True

    def _is_published_itself(self) -> bool:
        return True


class Publishable(BelongsToPublishable):
    """Content with its own Draft/Published status and a publish-from date."""

    Status = PublicationStatus

    publication_status = models.CharField(
        "publication", max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        "publish from",
        default=timezone.now,
        help_text="Once published, the public can see it from this date and time (UK time).",
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED and self.publish_at <= timezone.now()

    def _is_published_itself(self) -> bool:
        return self.is_published
