from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from consultations.models import DiscussionRequest


@task
def email_discussion_request(request_id: int) -> None:
    """Tell the partnership's contact that a group asked for a discussion."""
    discussion = DiscussionRequest.objects.select_related("consultation__partnership").get(pk=request_id)
    consultation = discussion.consultation
    recipient = consultation.contact_email_or_partnership
    if not recipient:
        return
    context = {"discussion": discussion, "consultation": consultation, "site_name": settings.SITE_NAME}
    send_mail(
        subject=render_to_string("emails/discussion_request_subject.txt", context).strip(),
        message=render_to_string("emails/discussion_request.txt", context),
        from_email=None,
        recipient_list=[recipient],
        html_message=render_to_string("emails/discussion_request.html", context),
    )
