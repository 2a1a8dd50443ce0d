"""One place that decides which partnerships a member of staff may see and change."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from partnerships.models import Partnership


def editable_partnerships(user: AbstractBaseUser | AnonymousUser):
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(editors=user)


def can_edit_partnership(user, partnership_id: int) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or editable_partnerships(user).filter(pk=partnership_id).exists()
