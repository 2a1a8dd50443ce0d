"""Small factory functions for tests: rows with sensible defaults, made the way the site makes them.

Fixtures (personas such as ``alice``) live in conftest.py and use these; tests import from here.
"""

import datetime
import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from common.pdf import placeholder_pdf
from consultations import services as consultation_services
from consultations.models import Consultation, Outcome
from news.models import Event, NewsItem, Photo
from partnerships.models import Borough, Organisation, Partnership, Plan, PlanDocument
from surveys.models import Question, Response, Survey
from surveys.services import submit_response
from website.roles import PARTNERSHIP_EDITOR

_sequence = itertools.count(1)
DAY = datetime.timedelta(days=1)


# Partnerships, plans and staff


def make_partnership(name: str | None = None, **fields) -> Partnership:
    number = next(_sequence)
    name = name or f"Test partnership {number}"
    borough = fields.pop("borough", None) or Borough.objects.create(name=f"Borough {number}", slug=f"borough-{number}")
    fields.setdefault("slug", f"partnership-{number}")
    fields.setdefault("summary", f"Summary of {name}")
    fields.setdefault("publication_status", Partnership.Status.PUBLISHED)
    return Partnership.objects.create(name=name, borough=borough, **fields)


def make_plan(partnership: Partnership, title: str | None = None, **fields) -> Plan:
    title = title or f"Plan {next(_sequence)}"
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("publication_status", Plan.Status.PUBLISHED)
    return Plan.objects.create(partnership=partnership, title=title, **fields)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    fields.setdefault("organisation_type", Organisation.Type.NHS_TRUST)
    return Organisation.objects.create(name=name or f"Organisation {next(_sequence)}", **fields)


def pdf_upload(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, placeholder_pdf("Test plan", ["A line"]), content_type="application/pdf")


def make_document(plan: Plan, **fields) -> PlanDocument:
    fields.setdefault("kind", PlanDocument.Kind.FULL_PLAN)
    fields.setdefault("title", f"Document {next(_sequence)}")
    document = PlanDocument(plan=plan, file=fields.pop("file", None) or pdf_upload(), **fields)
    document.save()
    return document


def second_factor(user: User) -> TOTPDevice:
    """The user's authenticator app (a confirmed TOTP device), made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def pass_second_factor(client, user: User) -> None:
    """Mark a signed-in test client's session as having passed the second factor, as mfa_verify does."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
    session.save()


def make_editor(username: str, *partnerships: Partnership) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=PARTNERSHIP_EDITOR))
    for partnership in partnerships:
        partnership.editors.add(user)
    return user


# Consultations, surveys and responses


def make_consultation(partnership: Partnership, title: str = "Have your say", **fields) -> Consultation:
    now = timezone.now()
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("audience", "Everyone")
    fields.setdefault("how_responses_are_used", "We read them all.")
    fields.setdefault("opens_at", now - DAY)
    fields.setdefault("closes_at", now + 30 * DAY)
    fields.setdefault("publication_status", Consultation.Status.PUBLISHED)
    return Consultation.objects.create(partnership=partnership, title=title, **fields)


def make_survey(consultation: Consultation, **fields) -> Survey:
    fields.setdefault("who_is_collecting", "The partnership")
    fields.setdefault("why_collecting", "To hear your views")
    fields.setdefault("retention_months", 12)
    fields.setdefault("minimum_seconds", 0)
    return Survey.objects.create(consultation=consultation, **fields)


def make_question(section, identifier: str, kind: str, **fields) -> Question:
    fields.setdefault("text", identifier.replace("_", " ").capitalize())
    fields.setdefault("order", section.questions.count() + 1)
    choices = fields.pop("choices", None)
    question = Question.objects.create(section=section, identifier=identifier, kind=kind, **fields)
    for order, label in enumerate(choices or [], start=1):
        question.choices.create(label=label, value=label.lower().replace(" ", "_"), order=order)
    return question


def respond(survey: Survey, *, channel: str = Response.Channel.ONLINE, held_because: str = "", **answers) -> Response:
    """One response stored as the site stores it; ``held_because`` holds it for review."""
    response, _ = submit_response(
        survey=survey, answers=answers, channel=channel, held_because=[held_because] if held_because else ()
    )
    return response


def make_outcome(consultation: Consultation, **fields) -> Outcome:
    fields.setdefault("what_we_heard", "<p>People want evening appointments.</p>")
    return Outcome.objects.create(consultation=consultation, **fields)


def publish_outcome(outcome: Outcome, publish_at: datetime.datetime | None = None) -> Outcome:
    """Publish the way the admin does: validate, save, then the service that follows every save."""
    outcome.publication_status = Outcome.Status.PUBLISHED
    if publish_at is not None:
        outcome.publish_at = publish_at
    outcome.full_clean()
    outcome.save()
    consultation_services.outcome_saved(outcome=outcome)
    return outcome


# News and events

# Admin formsets of a news item's inlines, all empty except photos' other fields.
EMPTY_INLINES_FOR_PHOTO = {
    f"{prefix}-{field}": "0"
    for prefix in ["workshops", "issues_raised", "quotes", "photos"]
    for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
}


def image_bytes(size=(1600, 1000), image_format="JPEG", colour="#005eb8") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


def image_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def make_item(*partnerships: Partnership, title: str | None = None, **fields) -> NewsItem:
    title = title or f"News item {next(_sequence)}"
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("publication_status", NewsItem.Status.PUBLISHED)
    item = NewsItem.objects.create(title=title, **fields)
    item.partnerships.set(partnerships)
    return item


def make_photo(item: NewsItem, **fields) -> Photo:
    fields.setdefault("alt_text", "Residents talking around a table")
    photo = Photo(item=item, image=fields.pop("image", None) or image_upload(), **fields)
    photo.full_clean()
    photo.save()
    return photo


def make_event(*partnerships: Partnership, title: str | None = None, **fields) -> Event:
    title = title or f"Event {next(_sequence)}"
    starts = fields.pop("starts_at", None) or timezone.now() + 7 * DAY
    fields.setdefault("slug", title.lower().replace(" ", "-").replace(",", ""))
    fields.setdefault("ends_at", starts + datetime.timedelta(hours=2))
    fields.setdefault("venue_name", "Deptford Lounge")
    fields.setdefault("description", "Tell us what matters to you.")
    fields.setdefault("how_to_book", "Just come along.")
    fields.setdefault("publication_status", Event.Status.PUBLISHED)
    event = Event.objects.create(title=title, starts_at=starts, **fields)
    event.partnerships.set(partnerships)
    return event


def export_file(client, survey, identifier: str, query: str = "") -> bytes:
    """Ask for an export as a comms lead does (a POST from the dashboard), then download it from its
    job's page. Tasks run at once in tests, so the job is finished by the time the page is shown."""
    url = f"/admin/dashboards/{survey.pk}/{identifier}" + (f"?{query}" if query else "")
    asked = client.post(url)
    if asked.status_code == 200 and asked.has_header("Content-Disposition"):  # written at once (the codebook)
        return asked.content
    assert asked.status_code == 302, asked
    job_page = client.get(asked["Location"])
    assert job_page.status_code == 200 and b"Ready to download" in job_page.content, job_page.content
    download = client.get(asked["Location"] + "download")
    assert download.status_code == 200, download
    return b"".join(download.streaming_content)
