"""Every address the site answers, who may reach it, and the headers on every answer.

A new URL pattern without an entry in INVENTORY fails ``test_every_url_pattern_is_in_the_inventory``:
decide who may reach it, then add it.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import URLResolver, get_resolver, reverse

from partnerships.models import Partnership
from surveys.models import ExportJob, ExportRecord
from surveys.reporting.jobs import run_export
from tests.factories import (
    make_consultation,
    make_document,
    make_editor,
    make_event,
    make_item,
    make_plan,
    make_question,
    make_survey,
    pass_second_factor,
    respond,
)
from website.roles import COMMS_LEAD

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "comms", "outsider", "superuser"]
PUBLIC = dict.fromkeys(ROLES, 200)
# Staff pages: sign in first; editors lack the permission; another partnership's comms lead finds nothing.
DASHBOARD = {"anonymous": 302, "editor": 403, "comms": 200, "outsider": 404, "superuser": 200}
SIGNED_IN = {"anonymous": 302, "editor": 200, "comms": 200, "outsider": 200, "superuser": 200}

INVENTORY = {
    "website:home": ("/", PUBLIC),
    "website:privacy": ("/privacy/", PUBLIC),
    "website:accessibility": ("/accessibility/", PUBLIC),
    "website:contact": ("/contact/", PUBLIC),
    "website:contact-partnership": ("/contact/greenwich/", PUBLIC),
    "website:contact-sent": ("/contact/greenwich/sent/", PUBLIC),
    "website:search": ("/search/?q=plan", PUBLIC),
    "website:partnership": ("/greenwich/", PUBLIC),
    "website:plan": ("/greenwich/plans/winter-plan/", PUBLIC),
    "partnerships:document": ("{plan_document}", PUBLIC),
    "consultations:open": ("/consultations/", PUBLIC),
    "consultations:forthcoming": ("/consultations/coming-soon/", PUBLIC),
    "consultations:closed": ("/consultations/closed/", PUBLIC),
    "consultations:document": ("/consultation-documents/999999/nothing.pdf", dict.fromkeys(ROLES, 404)),
    "consultations:partnership": ("/greenwich/consultations/", PUBLIC),
    "consultations:detail": ("/greenwich/consultations/have-your-say/", PUBLIC),
    "consultations:request-discussion": ("/greenwich/consultations/have-your-say/request-a-discussion/", PUBLIC),
    "consultations:discussion-sent": ("/greenwich/consultations/have-your-say/request-a-discussion/sent/", PUBLIC),
    "consultations:subscribe": ("/greenwich/consultations/have-your-say/email-me/", PUBLIC),
    "consultations:subscription-sent": ("/greenwich/consultations/have-your-say/email-me/check-your-email/", PUBLIC),
    "consultations:confirm-subscription": ("/subscriptions/confirm/not-a-token/", dict.fromkeys(ROLES, 404)),
    "consultations:unsubscribe": ("/subscriptions/unsubscribe/not-a-token/", dict.fromkeys(ROLES, 404)),
    "consultations:one-click-unsubscribe": ("/subscriptions/one-click/not-a-token/", dict.fromkeys(ROLES, 404)),
    "surveys:start": ("/greenwich/consultations/have-your-say/survey/", PUBLIC),
    "surveys:privacy": ("/greenwich/consultations/have-your-say/survey/privacy/", PUBLIC),
    "surveys:page": ("/greenwich/consultations/have-your-say/survey/page-1/", PUBLIC),
    # Not started yet: sent back to the start page.
    "surveys:check": ("/greenwich/consultations/have-your-say/survey/check-your-answers/", dict.fromkeys(ROLES, 302)),
    "surveys:confirmation": ("/greenwich/consultations/have-your-say/survey/sent/{reference}/", PUBLIC),
    "surveys:withdraw": ("/withdraw-a-response/", PUBLIC),
    "surveys:withdraw-confirm": ("/withdraw-a-response/confirm/", dict.fromkeys(ROLES, 405)),  # a form posts here
    "surveys:withdraw-done": ("/withdraw-a-response/done/", PUBLIC),
    "news:list": ("/news/", PUBLIC),
    "news:feed": ("/news/feed/", PUBLIC),
    "news:item": ("/news/winter-news/", PUBLIC),
    "news:image": ("/news/winter-news/images/nothing.webp", dict.fromkeys(ROLES, 404)),
    "news:events": ("/events/", PUBLIC),
    "news:event": ("/events/drop-in/", PUBLIC),
    "news:event-calendar": ("/events/drop-in.ics", PUBLIC),
    "news:partnership-news": ("/greenwich/news/", PUBLIC),
    "news:partnership-feed": ("/greenwich/news/feed/", PUBLIC),
    "news:partnership-events": ("/greenwich/events/", PUBLIC),
    "sitemap": ("/sitemap.xml", PUBLIC),
    "robots": ("/robots.txt", PUBLIC),
    "healthz": ("/healthz", PUBLIC),
    "readyz": ("/readyz", PUBLIC),
    "security-txt": ("/.well-known/security.txt", dict.fromkeys(ROLES, 404)),  # until SECURITY_CONTACT is set
    "reporting:survey": ("/admin/dashboards/{survey}/", DASHBOARD),
    "reporting:free-text": ("/admin/dashboards/{survey}/answers/{comment}/", DASHBOARD),
    "reporting:export": ("/admin/dashboards/{survey}/summary.csv", DASHBOARD),
    "reporting:export-job": ("/admin/dashboards/{survey}/exports/{job}/", DASHBOARD),
    "reporting:export-progress": ("/admin/dashboards/{survey}/exports/{job}/progress", DASHBOARD),
    "reporting:export-download": ("/admin/dashboards/{survey}/exports/{job}/download", DASHBOARD),
    "accounts:mfa-setup": ("/admin/account/second-factor/set-up/", SIGNED_IN),
    "accounts:mfa-verify": ("/admin/account/second-factor/", SIGNED_IN),
    "accounts:recovery-codes": ("/admin/account/second-factor/recovery-codes/", {**dict.fromkeys(ROLES, 405)}),
}

# On every answer, whatever it is.
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def named_patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner != "admin":  # the admin's own patterns are checked below, model by model
                yield from named_patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_in_the_inventory():
    assert set(named_patterns()) == set(INVENTORY)


@pytest.fixture
def world(greenwich, lewisham, alice):
    plan = make_plan(greenwich, "Winter plan")
    document = make_document(plan)
    survey = make_survey(make_consultation(greenwich))
    section = survey.sections.create(title="Your views", order=1)
    make_question(section, "agree", "agreement")
    comment = make_question(section, "comment", "long_text", max_length=300)
    response = respond(survey, agree="agree", comment="Evening appointments")
    make_item(greenwich, title="Winter news")
    make_event(greenwich, title="Drop in")
    comms = make_editor("carol", greenwich)
    comms.groups.add(Group.objects.get(name=COMMS_LEAD))
    outsider = make_editor("olive", lewisham)
    outsider.groups.add(Group.objects.get(name=COMMS_LEAD))
    # A summary export carol asked for, made.
    job = ExportJob.objects.create(
        record=ExportRecord.objects.create(user=comms, survey=survey, kind="summary_csv"), identifier="summary.csv"
    )
    run_export(job.pk)
    users = {
        "anonymous": None,
        "editor": alice,
        "comms": comms,
        "outsider": outsider,
        "superuser": User.objects.create_superuser("root", password="correct horse battery"),
    }
    values = {
        "plan_document": document.get_absolute_url(),
        "survey": survey.pk,
        "comment": comment.pk,
        "reference": response.reference,
        "job": job.pk,
    }
    return users, values


@pytest.mark.parametrize("role", ROLES)
def test_each_address_answers_each_role_as_the_inventory_says_with_every_header(client, world, role):
    users, values = world
    if users[role] is not None:
        client.force_login(users[role])
    for name, (path, statuses) in INVENTORY.items():
        response = client.get(path.format(**values))
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, so the test client closes it
        assert response.status_code == statuses[role], f"{name} for {role}: {response.status_code}"
        for header, value in EVERY_RESPONSE.items():
            assert response.get(header) == value, f"{name} for {role}: {header}"
        assert "Permissions-Policy" in response, name
        assert "Content-Security-Policy" in response, name
        if path.startswith("/admin/"):
            assert "no-store" in response.get("Cache-Control", ""), f"{name} for {role} may be cached"


def test_every_admin_page_needs_a_staff_sign_in_and_the_second_factor(client, world, greenwich):
    users, _ = world
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    assert len(changelists) > 15
    for url in changelists:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    staff = users["editor"]
    with_password_only = client.__class__()
    with_password_only.post("/admin/login/", {"username": staff.username, "password": "correct horse battery"})
    for url in changelists:
        response = with_password_only.get(url)
        assert response.status_code == 302 and "/admin/account/second-factor/" in response["Location"], url
    pass_second_factor(with_password_only, staff)
    assert with_password_only.get("/admin/").status_code == 200


def test_a_draft_is_not_found_for_the_public_and_previewed_for_its_editors(client, world, greenwich):
    users, _ = world
    make_plan(greenwich, "Draft plan", publication_status=Partnership.Status.DRAFT)
    assert client.get("/greenwich/plans/draft-plan/").status_code == 404
    client.force_login(users["outsider"])
    assert client.get("/greenwich/plans/draft-plan/").status_code == 404
    client.force_login(users["editor"])
    assert client.get("/greenwich/plans/draft-plan/").status_code == 200
