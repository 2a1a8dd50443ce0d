"""Virtual residents for the benchmarks: a browser that keeps its cookies, and a survey to answer.

A resident goes the way a person does: the start page, each page of questions (a GET, then a POST
with the answers and the form's CSRF token), "check your answers", send, and the confirmation page.
Each request is reported as (kind, HTTP status, seconds); a journey that reached its confirmation
gives the response's reference.
"""

import http.client
import re
import time
import urllib.parse
from collections.abc import Callable

import harness

CSRF_COOKIE = "__Host-csrftoken"
TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')

# The drill survey: two pages, and what a resident answers on each.
PAGES = [{"agree": "agree", "why": "More evening appointments at the health centre."}, {"borough": "greenwich"}]


def make_drill_survey(title: str):
    """An open two-page survey on the Greenwich partnership, with no minimum time: (survey, its address)."""
    from partnerships.models import Partnership
    from tests.factories import make_consultation, make_question, make_survey

    consultation = make_consultation(Partnership.objects.get(slug="greenwich"), title)
    survey = make_survey(consultation, minimum_seconds=0)
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", "agreement", required=True, text="The plan is right")
    make_question(views, "why", "long_text", text="Why?")
    about = survey.sections.create(title="Where you live", order=2)
    make_question(about, "borough", "single_choice", required=True, choices=["Greenwich", "Lewisham", "Southwark"])
    return survey, f"/greenwich/consultations/{consultation.slug}/survey/"


class Browser:
    """One resident's browser against gunicorn on APP_PORT: keeps its cookies, sends forms with the CSRF token."""

    def __init__(self, port: int = harness.APP_PORT, address: str = ""):
        self.port = port
        self.address = address  # as a load balancer would report it (X-Forwarded-For)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {**harness.HTTPS, "Host": f"127.0.0.1:{self.port}"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookies.get(CSRF_COOKIE, "")}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        except OSError:
            return 0, {}, "", time.perf_counter() - started
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text, seconds


Report = Callable[[str, int, float], None]


def answer_survey(
    survey_path: str, report: Report, *, send_tries: int = 1, port: int = harness.APP_PORT, address: str = ""
) -> str | None:
    """One resident's whole journey; the reference on the confirmation, or None if it did not get there.
    With ``send_tries``, "send" is pressed again (every half second) until it is confirmed, as a
    resident on the "try again" page would."""
    browser = Browser(port, address)

    def ask(kind: str, method: str, path: str, form: dict | None = None):
        status, headers, text, seconds = browser.request(method, path, form)
        report(kind, status, seconds)
        return status, headers, text

    if ask("start page", "GET", survey_path)[0] != 200:
        return None
    for number, answers in enumerate(PAGES, start=1):
        page = f"{survey_path}page-{number}/"
        if ask("question page", "GET", page)[0] != 200:
            return None
        if ask("answers sent", "POST", page, answers)[0] != 302:
            return None
    check = survey_path + "check-your-answers/"
    status, _, text = ask("check your answers", "GET", check)
    token = TOKEN.search(text)
    if status != 200 or not token:
        return None
    for attempt in range(send_tries):
        status, headers, _ = ask("send", "POST", check, {"submission_token": token.group(1)})
        location = headers.get("location", "")
        if status == 302 and "/sent/" in location:
            ask("confirmation", "GET", location)
            return location.rstrip("/").rsplit("/", 1)[1]
        if attempt + 1 < send_tries:
            time.sleep(0.5)
    return None
