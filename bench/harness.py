"""What the benchmarks share: the machine, production settings, gunicorn (and nginx) started the way
an operator starts them, a signed-in comms lead, and timed HTTP requests.

Nothing here is imported by the site. Benchmarks run against their own database (``BENCH_DATABASE_URL``,
default ``postgres://postgres@127.0.0.1:5432/sel_bench``): never point it at real data.
"""

import contextlib
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sel_bench")
APP_PORT, NGINX_PORT = 8091, 8092
# The app sees HTTPS, as behind the load balancer (SECURE_PROXY_SSL_HEADER).
HTTPS = {"X-Forwarded-Proto": "https"}
# One key for the whole run: sessions made here are read by the servers started here.
SECRET_KEY = secrets.token_urlsafe(50)


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production server, on this machine's loopback, against the bench database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "EMAIL_HOST": "localhost",
        "SITE_CONTACT_EMAIL": "consultations@localhost",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    env.update(extra)
    return env


def setup_django(**extra: str) -> None:
    """Django in this process, with the production settings (for preparing data and counting queries)."""
    os.environ.update(production_env(**extra))
    import django

    django.setup()


def prepare_database() -> None:
    """Create the bench database if needed, migrate it and load the seed content."""
    import psycopg

    from config.database import database_settings

    config = database_settings(DATABASE_URL, ROOT / ".pgdata", 0)
    admin_dsn = f"host={config['HOST']} port={config['PORT'] or 5432} user={config['USER']} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=production_env(), check=True)
    with open(os.devnull, "w") as quiet:
        subprocess.run([PYTHON, "manage.py", "seed_content"], cwd=ROOT, env=production_env(), check=True, stdout=quiet)
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=production_env(), check=True
        )


def machine() -> str:
    """One line naming the machine the figures were measured on."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        memory = f", {int(next(line for line in info if line.startswith('MemTotal')).split()[1]) // 1024 // 1024} GiB"
    import psycopg

    with psycopg.connect(DATABASE_URL) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores{memory}; Linux {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {postgres or '?'}"
    )


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


@contextlib.contextmanager
def gunicorn(port: int = APP_PORT, **extra: str) -> Iterator[subprocess.Popen]:
    """gunicorn with the project's gunicorn.conf.py and production settings, on ``port``. It has a
    process group of its own, so that ``kill_group`` can stop it (workers and all) as a crash would."""
    log = open(ROOT / "bench" / "gunicorn.log", "a")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=production_env(BIND=f"127.0.0.1:{port}", **extra),
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_for_port(port)
        get("/healthz", port=port)  # every worker imported and ready
        time.sleep(1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=40)
        log.close()


def kill_group(process: subprocess.Popen) -> None:
    """Stop a server and every process it started at once, with no chance to finish (a crash)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    upstream app {{ {servers} keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location /_exports/ {{ internal; alias {exports}/; }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto https;
            # Standing in for the load balancer: the client's address as the balancer saw it.
            proxy_set_header X-Forwarded-For $http_x_forwarded_for;
            # A server that fails or goes away: safe requests (GET, HEAD) go to the other; a POST
            # is never sent twice (nginx retries non-idempotent requests only if told to).
            proxy_next_upstream error timeout http_502 http_504;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(exports_root: str, apps: tuple[int, ...] = (APP_PORT,), port: int = NGINX_PORT) -> Iterator[int]:
    """nginx in front of gunicorn (one or more, ``apps`` are their ports), sending export files itself; its port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is needed for this benchmark: apt-get install nginx-light")
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as folder:
        conf = Path(folder) / "nginx.conf"
        servers = " ".join(f"server 127.0.0.1:{app} max_fails=1 fail_timeout=5s;" for app in apps)
        conf.write_text(NGINX_CONF.format(dir=folder, servers=servers, port=port, exports=exports_root))
        subprocess.run([binary, "-c", str(conf), "-p", folder, "-e", f"{folder}/error.log"], check=True)
        try:
            wait_for_port(port)
            yield port
        finally:
            subprocess.run([binary, "-c", str(conf), "-p", folder, "-e", f"{folder}/error.log", "-s", "quit"])
            time.sleep(0.5)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float


def get(path: str, *, port: int = APP_PORT, cookies: str = "", method: str = "GET", body: bytes = b"", headers=None):
    """One request over a new connection, timed to the last byte."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    all_headers = {**HTTPS, "Host": f"127.0.0.1:{port}", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = cookies
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)


def ask_for_export(survey_id: int, identifier: str, cookies: str, csrf: str, *, port: int = APP_PORT) -> Answer:
    """A comms lead presses an export's button on the dashboard (a POST): the answer sends them to the job's page."""
    return get(
        f"/admin/dashboards/{survey_id}/{identifier}",
        port=port,
        cookies=cookies,
        method="POST",
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{port}/admin/dashboards/{survey_id}/",
        },
    )


def staff_cookies(username: str = "bench-comms") -> tuple[str, str]:
    """A signed-in comms lead with the equality permission, past the second factor: the Cookie header
    and the CSRF secret to send with a form."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.sessions import LAST_SEEN, LOGIN_AT
    from partnerships.models import Partnership
    from website.roles import COMMS_LEAD, EQUALITY_DATA_EXPORTER

    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    user.set_password(secrets.token_urlsafe())
    user.save()
    user.groups.add(*Group.objects.filter(name__in=[COMMS_LEAD, EQUALITY_DATA_EXPORTER]))
    for partnership in Partnership.objects.all():
        partnership.editors.add(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT] = session[LAST_SEEN] = time.time() + 24 * 3600  # never idle during a long run
    session.create()
    csrf = secrets.token_hex(16)
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}", csrf


def wrk(url: str, *, seconds: int, connections: int, cookies: str = "", lua: str = "") -> dict:
    """Requests per second and latency from wrk (a C load generator: the client costs little CPU).
    ``lua`` may define wrk's ``request`` function, to ask for a different address each time."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is needed for this benchmark: apt-get install wrk")
    script = Path(tempfile.gettempdir()) / f"bench-wrk-{os.getpid()}.lua"
    script.write_text(
        lua + "\ndone = function(summary, latency, requests)\n"
        '  io.write(string.format("JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %f, \\"p99\\": %f, '
        '\\"errors\\": %d, \\"non2xx\\": %d}\\n", summary.requests, summary.duration / 1e6, '
        "latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, "
        "summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, "
        "summary.errors.status))\nend\n"
    )
    command = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), "-H", "X-Forwarded-Proto: https"]
    if cookies:
        command += ["-H", f"Cookie: {cookies}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    result = json.loads(line[5:])
    result["rps"] = result["requests"] / result["seconds"]
    return result
