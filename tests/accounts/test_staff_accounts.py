"""Staff accounts: a second factor before any staff page, throttled sign-ins, bounded sessions, a security log."""

import json
import logging
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import RecoveryCode, RecoveryCodeDevice
from accounts.sessions import LAST_SEEN, LOGIN_AT
from tests.factories import make_editor, second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]
PASSWORD = "correct horse battery"
LOGIN = "/admin/login/"
SETUP = "/admin/account/second-factor/set-up/"
VERIFY = "/admin/account/second-factor/"


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def security_lines(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "security"]


@pytest.fixture(autouse=True)
def no_wait_after_a_wrong_code(request, settings):
    """A wrong code makes the next wait a second; most tests do not want to wait."""
    if "throttled" not in request.node.name:
        settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def caplog_security(caplog):
    caplog.set_level(logging.INFO, logger="security")
    return caplog


# The second factor


def test_a_new_member_of_staff_sets_up_an_authenticator_app_before_any_staff_page(client, alice, caplog_security):
    sign_in(client, "alice")
    assertRedirects(client.get("/admin/"), f"{SETUP}?next=%2Fadmin%2F", fetch_redirect_response=False)
    assertRedirects(
        client.get("/admin/dashboards/1/"), f"{SETUP}?next=%2Fadmin%2Fdashboards%2F1%2F", fetch_redirect_response=False
    )
    page = client.get(SETUP)
    assertContains(page, "<svg")  # the QR code, drawn on the page: nothing is fetched from elsewhere
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assertContains(page, page.context["key"])  # the key as text, for people who cannot scan
    wrong = client.post(SETUP, {"code": "000000"})
    assertContains(wrong, "That code is not right")
    done = client.post(SETUP, {"code": code_for(device), "next": "/admin/"})
    assertContains(done, "Your recovery codes")
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    # Only hashes are stored.
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in stored or code in stored for code in codes)
    assert [line["event"] for line in security_lines(caplog_security)][-2:] == ["mfa_failed", "mfa_enrolled"]


def test_signing_in_needs_the_code_and_a_used_code_is_refused(client, alice):
    device = second_factor(alice)
    sign_in(client, "alice")
    assertRedirects(client.get("/admin/"), f"{VERIFY}?next=%2Fadmin%2F", fetch_redirect_response=False)
    assertContains(client.post(VERIFY, {"code": "123456"}), "That code is not right")
    code = code_for(device)
    session_before = client.session.session_key
    assertRedirects(client.post(VERIFY, {"code": code, "next": "/admin/"}), "/admin/", fetch_redirect_response=False)
    assert client.session.session_key != session_before  # a new session key once the second factor is in
    assert client.get("/admin/").status_code == 200

    other = client.__class__()
    sign_in(other, "alice")
    assertContains(other.post(VERIFY, {"code": code}), "That code is not right")  # the same code, again


def test_a_recovery_code_works_once(client, alice):
    second_factor(alice)
    recovery = RecoveryCodeDevice.objects.create(user=alice, name="Recovery codes")
    codes = recovery.replace_codes()
    sign_in(client, "alice")
    assertRedirects(
        client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")}), "/admin/", fetch_redirect_response=False
    )
    assert recovery.remaining == 9
    other = client.__class__()
    sign_in(other, "alice")
    assertContains(other.post(VERIFY, {"code": codes[0]}), "That code is not right")


def test_wrong_codes_are_throttled(client, alice):
    device = second_factor(alice)
    sign_in(client, "alice")
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})
    page = client.post(VERIFY, {"code": code_for(device)})  # right, but too soon after the wrong ones
    assertContains(page, "Too many wrong codes")
    assert client.get("/admin/").status_code != 200


# Throttling sign-ins


def test_after_five_wrong_passwords_even_the_right_one_waits(client, alice):
    for _ in range(4):
        assertContains(sign_in(client, "alice", "wrong password"), "Please enter the correct username and password")
    assert sign_in(client, "alice", "wrong password").status_code == 429  # the fifth
    refused = sign_in(client, "alice")
    assert refused.status_code == 429
    assertContains(refused, "Too many attempts to sign in", status_code=429)


def test_the_same_answer_whether_or_not_the_username_exists(client, alice):
    for username in ["alice", "nobody-at-all"]:
        for _ in range(4):
            sign_in(client, username, "wrong password", REMOTE_ADDR=f"10.0.0.{len(username)}")
    alice_page = sign_in(client, "alice", "wrong password", REMOTE_ADDR="10.0.0.5")
    nobody_page = sign_in(client, "nobody-at-all", "wrong password", REMOTE_ADDR="10.0.0.13")
    assert alice_page.status_code == nobody_page.status_code == 429
    assert alice_page.content == nobody_page.content


def test_one_address_trying_many_usernames_is_throttled_too(client, alice, bob):
    for number in range(5):
        sign_in(client, f"guess-{number}", "wrong password", REMOTE_ADDR="192.0.2.7")
    assert sign_in(client, "bob", REMOTE_ADDR="192.0.2.7").status_code == 429
    assert sign_in(client, "bob", REMOTE_ADDR="192.0.2.8").status_code == 302  # bob himself, elsewhere


def test_the_wait_grows_with_more_failures_and_a_success_resets_it(rf, alice):
    from accounts.throttling import cool_off

    request = rf.post(LOGIN, {"username": "alice"}, REMOTE_ADDR="198.51.100.1")
    AccessAttempt.objects.create(username="alice", ip_address="198.51.100.1", failures_since_start=5, user_agent="")
    assert cool_off(request).total_seconds() == 60
    AccessAttempt.objects.update(failures_since_start=8)
    assert cool_off(request).total_seconds() == 8 * 60
    AccessAttempt.objects.update(failures_since_start=40)
    assert cool_off(request).total_seconds() == 30 * 60  # never more than half an hour


# Staff sessions


def test_a_staff_session_ends_after_30_minutes_idle(client, alice):
    client.force_login(alice)
    from tests.factories import pass_second_factor

    pass_second_factor(client, alice)
    session = client.session
    session[LOGIN_AT] = time.time() - 3600
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain[0][0].startswith("/admin/login/?next=")
    assertContains(page, "You were signed out after 30 minutes without activity")
    assert "_auth_user_id" not in client.session


def test_a_staff_session_ends_after_10_hours_however_busy(client, alice):
    client.force_login(alice)
    from tests.factories import pass_second_factor

    pass_second_factor(client, alice)
    session = client.session
    session[LOGIN_AT] = time.time() - 10 * 3600 - 60
    session[LAST_SEEN] = time.time() - 60
    session.save()
    assertContains(client.get("/admin/", follow=True), "staff sessions last at most 10 hours")


def test_a_staff_session_records_activity_at_most_once_a_minute(client, alice):
    from tests.factories import pass_second_factor

    client.force_login(alice)
    pass_second_factor(client, alice)
    session = client.session
    session[LOGIN_AT] = session[LAST_SEEN] = recorded = time.time() - 20
    session.save()
    client.get("/admin/")
    assert client.session[LAST_SEEN] == recorded  # nothing written for a request 20 s on
    session = client.session
    session[LAST_SEEN] = time.time() - 90
    session.save()
    client.get("/admin/")
    assert client.session[LAST_SEEN] == pytest.approx(time.time(), abs=5)
    assert client.session.get_expiry_age() == 31 * 60


def test_signing_in_starts_a_short_sliding_staff_session(client, alice):
    sign_in(client, "alice")
    assert client.session.get_expiry_age() == 30 * 60
    assert client.session[LOGIN_AT] == pytest.approx(time.time(), abs=5)


def test_residents_sessions_are_not_staff_sessions(client, greenwich, settings):
    from tests.factories import make_consultation, make_question, make_survey

    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    make_question(survey.sections.create(title="Views", order=1), "agree", "agreement")
    client.post("/greenwich/consultations/winter-plan/survey/page-1/", {"agree": "agree"})
    assert LOGIN_AT not in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# The security log


def test_the_security_log_has_who_what_when_and_where_and_never_a_password(client, alice, caplog_security):
    sign_in(client, "alice", "my secret guess", REMOTE_ADDR="203.0.113.9")
    sign_in(client, "alice", REMOTE_ADDR="203.0.113.9")
    failed, login = security_lines(caplog_security)
    assert (failed["event"], failed["username"], failed["from"], failed["user"]) == (
        "login_failed", "alice", "203.0.113.9", None
    )  # fmt: skip
    assert (login["event"], login["user"], login["user_id"]) == ("login", "alice", alice.pk)
    assert "T" in login["at"] and login["path"] == LOGIN
    assert "my secret guess" not in caplog_security.text


def test_lockouts_and_permission_denials_are_logged_with_the_user(client, alice, caplog_security):
    for _ in range(6):
        sign_in(client, "alice", "wrong")
    assert "login_locked_out" in [line["event"] for line in security_lines(caplog_security)]
    staff = make_editor("dora")
    client.force_login(staff)
    from tests.factories import pass_second_factor

    pass_second_factor(client, staff)
    assert client.get("/admin/dashboards/1/").status_code == 403
    denied = [line for line in security_lines(caplog_security) if line["event"] == "permission_denied"]
    assert denied and denied[-1]["user"] == "dora" and denied[-1]["path"] == "/admin/dashboards/1/"


def test_the_log_refuses_anything_but_plain_values():
    from common import security_log

    with pytest.raises(TypeError):
        security_log.event("responses_read", answers={"comment": "My address is"})


def test_error_emails_never_carry_what_was_typed(rf):
    from django.views.debug import ExceptionReporter

    request = rf.post("/greenwich/consultations/x/survey/page-1/", {"comment": "I live at 4 Acacia Avenue"})
    request.user = User(username="anonymous")
    try:
        raise ValueError("boom")
    except ValueError as error:
        report = ExceptionReporter(request, type(error), error, error.__traceback__).get_traceback_text()
    assert "Acacia" not in report
    assert "comment" in report  # the field's name, with its value hidden


def test_a_superuser_sees_who_has_a_second_factor_only_through_django_otp_admin(client, superuser):
    client.force_login(superuser)
    from tests.factories import pass_second_factor

    pass_second_factor(client, superuser)
    assertNotContains(client.get("/admin/"), "Recovery code")  # codes are never listed in admin


def test_the_demo_logins_come_with_a_second_factor_that_works(client, greenwich, settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_staff", stdout=out)
    settings.DEBUG = False
    printed = out.getvalue()
    assert "second factor: add key " in printed
    code = printed.split("or use a recovery code, once each: ")[-1].split(",")[0].strip()  # greenwich-editor
    sign_in(client, "greenwich-editor", "demo-password-for-local-use")
    assertRedirects(client.post(VERIFY, {"code": code, "next": "/admin/"}), "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200
