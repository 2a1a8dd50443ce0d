from io import StringIO

import pytest
from django.core.management import call_command

from partnerships.models import Membership, Organisation, Partnership, Plan, PlanDocument, Priority

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in [Partnership, Organisation, Membership, Priority, Plan, PlanDocument]
    }


def test_seed_loads_every_partnership_with_its_facts():
    call_command("seed_content", stdout=StringIO())
    assert Partnership.objects.count() == 4
    greenwich = Partnership.objects.get(slug="greenwich")
    assert greenwich.memberships.count() == 8
    assert greenwich.priorities.filter(kind="aim").count() == 5
    assert Partnership.objects.get(slug="lewisham").memberships.count() == 6
    strategy = Partnership.objects.get(slug="our-healthier-south-east-london")
    assert strategy.boroughs.count() == 6
    assert strategy.priorities.filter(kind="focus_area").count() == 6
    assert strategy.case_for_change.count() == 7
    southwark_plan = Plan.objects.get(partnership__slug="southwark")
    assert southwark_plan.stage == "approved" and southwark_plan.approved_on.isoformat() == "2020-09-01"
    assert set(southwark_plan.approving_bodies.values_list("name", flat=True)) == {
        "NHS South East London Clinical Commissioning Group",
        "Southwark Council",
    }
    assert sorted(southwark_plan.documents.values_list("kind", flat=True)) == ["full", "summary"]
    trust = Organisation.objects.get(name="Lewisham and Greenwich NHS Trust")
    assert trust.memberships.count() == 2


def test_seed_marks_invented_content_as_placeholder():
    call_command("seed_content", stdout=StringIO())
    assert PlanDocument.objects.exclude(placeholder_note="").count() == PlanDocument.objects.count() == 3
    assert Plan.objects.get(slug="recovery-and-reset-plan").is_placeholder


def test_seed_twice_changes_nothing():
    call_command("seed_content", stdout=StringIO())
    before = counts()
    call_command("seed_content", stdout=StringIO())
    assert counts() == before


def test_seed_never_overwrites_or_restores_an_editors_changes():
    call_command("seed_content", stdout=StringIO())
    greenwich = Partnership.objects.get(slug="greenwich")
    greenwich.summary = "Edited by the Greenwich team"
    greenwich.save()
    greenwich.priorities.first().delete()
    call_command("seed_content", stdout=StringIO())
    greenwich.refresh_from_db()
    assert greenwich.summary == "Edited by the Greenwich team"
    assert greenwich.priorities.count() == 4


def test_demo_staff_command_prints_logins_and_scopes_the_editor(settings, capsys):
    settings.DEBUG = True
    call_command("seed_content", stdout=StringIO())
    call_command("create_demo_staff")
    call_command("create_demo_staff")
    output = capsys.readouterr().out
    assert "greenwich-editor / demo-password-for-local-use" in output
    assert "already existed" in output
    assert list(Partnership.objects.filter(editors__username="greenwich-editor")) == [
        Partnership.objects.get(slug="greenwich")
    ]
    # A comms lead and an equality data exporter, so the dashboards can be tried at once.
    from django.contrib.auth.models import User

    comms, equality = User.objects.get(username="greenwich-comms"), User.objects.get(username="greenwich-equality")
    assert comms.has_perm("surveys.view_individual_responses") and not comms.has_perm("surveys.export_equality_data")
    assert equality.has_perm("surveys.export_equality_data")
    assert "greenwich-comms / demo-password-for-local-use  – Greenwich's response dashboards and exports" in output


def test_demo_staff_command_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("create_demo_staff")


def test_demo_staff_command_refuses_on_a_site_with_a_real_secret_key(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = True
    settings.SECRET_KEY = "a-real-production-secret-that-is-long-and-random-0123456789"
    with pytest.raises(CommandError, match="local use only"):
        call_command("create_demo_staff")
