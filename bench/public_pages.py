"""Benchmark: requests per second of the public pages, against a bare Django view, through gunicorn.

    .venv/bin/python bench/public_pages.py                    # the shared cache in PostgreSQL (the default)
    .venv/bin/python bench/public_pages.py --cache redis      # REDIS_URL set: the cache in Redis
    .venv/bin/python bench/public_pages.py --cache off        # no page cache, for comparison

gunicorn runs with the project's gunicorn.conf.py and production settings (DEBUG off) against the
bench database with the seed content; wrk (apt-get install wrk) asks for each page as anonymous
visitors do. The pages are measured in turn, round after round in a new order each time, so a slow
moment of the machine touches them all alike, and each page's run follows a run of /healthz (a view
that does nothing): the ratio of the two is the page's figure for that round, and the median (and the
lowest) of the rounds is printed.
"""

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

CACHES = {
    "database": {},
    "redis": {"REDIS_URL": "redis://127.0.0.1:6379/14"},
    "off": {"PUBLIC_PAGE_CACHE_SECONDS": "0"},
}


BARE = "bare view (/healthz)"


def pages() -> dict[str, str]:
    """The addresses to measure, from the seed content."""
    from consultations.models import Consultation
    from news.models import NewsItem
    from partnerships.models import Plan

    plan = Plan.objects.public().order_by("pk").first()
    consultation = Consultation.objects.public().order_by("pk").first()
    item = NewsItem.objects.public().order_by("pk").first()
    return {
        BARE: "/healthz",
        "home": "/",
        "partnership": "/greenwich/",
        "plan": plan.get_absolute_url(),
        "consultation": consultation.get_absolute_url(),
        "news": "/news/",
        "news item": item.get_absolute_url(),
        "search, popular words": "/search/?q=health+care",
        "search, new words": "/search/",  # see NEW_WORDS
    }


# Every request a search that has not been made before (so never from the cache), for words that
# match: two of these, or a word that is new each time.
NEW_WORDS = """
words = {"health", "care", "plan", "mental", "hospital", "children", "community", "lewisham", "greenwich",
         "southwark", "consultation", "services", "wellbeing", "older", "people", "partnership", "local"}
counter = 0
request = function()
  counter = counter + 1
  local q = words[math.random(#words)] .. "+or+" .. words[math.random(#words)]
  q = q .. "+or+x" .. counter .. "y" .. math.random(1, 1e9)
  return wrk.format("GET", "/search/?q=" .. q)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", choices=list(CACHES), default="database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    harness.prepare_database()
    harness.setup_django(**CACHES[args.cache])
    addresses = pages()
    results: dict[str, list[dict]] = {name: [] for name in addresses}
    with harness.gunicorn(**CACHES[args.cache]):
        base = f"http://127.0.0.1:{harness.APP_PORT}"
        for path in addresses.values():  # warm: every page made once (and cached, if it is)
            answer = harness.get(path)
            if answer.status != 200:
                raise SystemExit(f"{path} answered {answer.status}")
        order = [name for name in addresses if name != BARE]
        ratios: dict[str, list[float]] = {name: [] for name in order}
        for _ in range(args.rounds):
            random.shuffle(order)
            for name in order:
                # Each page right after a run of the bare view: the pair sees the same moment of the machine.
                bare = measure(base, BARE, addresses[BARE], args)
                run = measure(base, name, addresses[name], args)
                results[BARE].append(bare)
                results[name].append(run)
                ratios[name].append(run["rps"] / bare["rps"])

    print(f"Machine: {harness.machine()}")
    workers = settings_line()
    print(f"gunicorn: {workers}; page cache: {args.cache}; {args.connections} connections; "
          f"median of {args.rounds} rounds of {args.seconds} s each")  # fmt: skip
    print("ratio: the page's requests/s over the bare view's in the run just before it; median (lowest) of the rounds")
    print(f"{'page':<24}{'requests/s':>12}{'ratio':>8}{'(lowest)':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, runs in results.items():
        rps = statistics.median(run["rps"] for run in runs)
        p50 = statistics.median(run["p50"] for run in runs)
        p99 = statistics.median(run["p99"] for run in runs)
        ratio, lowest = (statistics.median(ratios[name]), min(ratios[name])) if name in ratios else (1.0, 1.0)
        print(f"{name:<24}{rps:>12.0f}{ratio:>8.2f}{lowest:>10.2f}{p50:>9.1f}{p99:>9.1f}")


def measure(base: str, name: str, path: str, args) -> dict:
    lua = NEW_WORDS if name == "search, new words" else ""
    run = harness.wrk(base + path, seconds=args.seconds, connections=args.connections, lua=lua)
    if run["errors"] or run["non2xx"]:
        raise SystemExit(f"{name}: {run['errors']} errors, {run['non2xx']} non-2xx answers")
    return run


def settings_line() -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gunicorn_conf", harness.ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return f"{conf.workers} workers x {conf.threads} threads ({conf.worker_class})"


if __name__ == "__main__":
    main()
