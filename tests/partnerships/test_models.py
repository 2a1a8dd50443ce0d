import pytest
from django.core.exceptions import ValidationError

from common.richtext import sanitise_html
from partnerships.models import Partnership, Plan, Video
from tests.factories import make_partnership, make_plan

pytestmark = pytest.mark.django_db


def test_rich_text_keeps_formatting_and_drops_scripts_styles_and_handlers():
    dirty = (
        '<h2>Plan</h2><p style="color:red" onclick="steal()">Hello <strong>there</strong></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">bad</a><a href="https://nhs.uk">good</a>'
        "<img src=x onerror=alert(1)><iframe src=https://evil.example></iframe>"
    )
    clean = sanitise_html(dirty)
    assert clean == (
        '<h2>Plan</h2><p>Hello <strong>there</strong></p><a rel="noopener noreferrer">bad</a>'
        '<a href="https://nhs.uk" rel="noopener noreferrer">good</a>'
    )


def test_rich_text_is_sanitised_whenever_a_model_is_saved(greenwich):
    plan = make_plan(greenwich, body="<p>Ok</p><script>alert(1)</script>")
    plan.refresh_from_db()
    assert plan.body == "<p>Ok</p>"
    greenwich.history = '<p onmouseover="x()">Then</p>'
    greenwich.save()
    greenwich.refresh_from_db()
    assert greenwich.history == "<p>Then</p>"


def test_local_partnership_needs_a_borough():
    partnership = Partnership(name="X", slug="x", summary="s", kind=Partnership.Kind.LOCAL_CARE_PARTNERSHIP)
    with pytest.raises(ValidationError) as raised:
        partnership.full_clean()
    assert raised.value.message_dict["borough"] == ["Choose the borough this local care partnership serves"]


def test_paused_partnership_must_explain_why(greenwich):
    greenwich.operating_status = Partnership.OperatingStatus.PAUSED
    with pytest.raises(ValidationError, match="Explain the status"):
        greenwich.full_clean()
    greenwich.status_explanation = "Paused in March 2020 to focus on the COVID-19 response."
    greenwich.full_clean()


def test_partnership_slug_cannot_take_a_site_address():
    partnership = make_partnership(slug="ok")
    partnership.slug = "admin"
    with pytest.raises(ValidationError, match="used by another page"):
        partnership.full_clean()


def test_approved_plan_needs_an_approval_date(greenwich):
    plan = make_plan(greenwich, stage=Plan.Stage.APPROVED)
    with pytest.raises(ValidationError, match="Enter the date the plan was approved"):
        plan.full_clean()


def test_plan_cannot_supersede_itself(greenwich):
    plan = make_plan(greenwich)
    plan.superseded_by = plan
    with pytest.raises(ValidationError, match="cannot supersede itself"):
        plan.full_clean()


def test_one_organisation_can_belong_to_several_partnerships(greenwich, lewisham):
    from tests.factories import make_organisation

    trust = make_organisation("Lewisham and Greenwich NHS Trust")
    greenwich.memberships.create(organisation=trust, role="Acute provider")
    lewisham.memberships.create(organisation=trust)
    assert set(trust.memberships.values_list("partnership__slug", flat=True)) == {"greenwich", "lewisham"}


def test_video_id_must_look_like_a_youtube_id(greenwich):
    video = Video(partnership=greenwich, title="Film", transcript="t", youtube_id="https://youtu.be/x")
    with pytest.raises(ValidationError, match="11 letters"):
        video.full_clean()


def test_video_plan_must_belong_to_the_same_partnership(greenwich, lewisham):
    video = Video(partnership=greenwich, plan=make_plan(lewisham), title="Film", transcript="t")
    with pytest.raises(ValidationError, match="same partnership"):
        video.full_clean()


def test_published_queryset_excludes_drafts_and_future_items(greenwich):
    import datetime

    from django.utils import timezone

    make_plan(greenwich, "Live")
    make_plan(greenwich, "Draft", publication_status=Plan.Status.DRAFT)
    make_plan(greenwich, "Future", publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert list(Plan.objects.published().values_list("title", flat=True)) == ["Live"]
