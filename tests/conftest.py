import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships.groups import PARTNERSHIP_EDITOR
from partnerships.models import Borough, Organisation, Partnership, Plan, PlanDocument
from partnerships.seed.pdf import placeholder_pdf

_sequence = itertools.count(1)


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


def make_editor(username: str, *partnerships: Partnership) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=PARTNERSHIP_EDITOR))
    for partnership in partnerships:
        partnership.editors.add(user)
    return user


@pytest.fixture
def greenwich(db) -> Partnership:
    return make_partnership("Healthier Greenwich Alliance", slug="greenwich")


@pytest.fixture
def lewisham(db) -> Partnership:
    return make_partnership("Lewisham Health and Care Partners", slug="lewisham")


@pytest.fixture
def alice(greenwich) -> User:
    """Edits Greenwich only."""
    return make_editor("alice", greenwich)


@pytest.fixture
def bob(lewisham) -> User:
    """Edits Lewisham only."""
    return make_editor("bob", lewisham)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="correct horse battery")


def make_consultation(partnership: Partnership, title: str = "Have your say", **fields):
    import datetime

    from django.utils import timezone

    from consultations.models import Consultation

    now = timezone.now()
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("audience", "Everyone")
    fields.setdefault("how_responses_are_used", "We read them all.")
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=30))
    fields.setdefault("publication_status", Consultation.Status.PUBLISHED)
    return Consultation.objects.create(partnership=partnership, title=title, **fields)


def make_survey(consultation, **fields):
    from surveys.models import Survey

    fields.setdefault("who_is_collecting", "The partnership")
    fields.setdefault("why_collecting", "To hear your views")
    fields.setdefault("retention", "12 months")
    fields.setdefault("minimum_seconds", 0)
    return Survey.objects.create(consultation=consultation, **fields)


def make_question(section, identifier: str, kind: str, **fields):
    from surveys.models import Question

    fields.setdefault("text", identifier.replace("_", " ").capitalize())
    fields.setdefault("order", section.questions.count() + 1)
    choices = fields.pop("choices", None)
    question = Question.objects.create(section=section, identifier=identifier, kind=kind, **fields)
    for order, label in enumerate(choices or [], start=1):
        question.choices.create(label=label, value=label.lower().replace(" ", "_"), order=order)
    return question
