"""Image files go when their photo or news item is deleted (cascades included, which skip delete())."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from news.images import delete_files
from news.models import NewsItem, Photo


@receiver(post_delete, sender=Photo, dispatch_uid="news.photo_files")
def delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    delete_files(instance.image.storage, {"source": instance.image.name, **(instance.renditions or {})}, True)


@receiver(post_delete, sender=NewsItem, dispatch_uid="news.lead_image_files")
def delete_lead_image_files(sender, instance: NewsItem, **kwargs) -> None:
    renditions = {"source": instance.lead_image.name, **(instance.lead_image_renditions or {})}
    delete_files(instance.lead_image.storage, renditions, True)
