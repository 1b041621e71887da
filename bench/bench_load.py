"""Load test: locust (bench/locustfile.py, headless) against gunicorn on PostgreSQL seeded with 20,000
synthetic companies per country, beside the same run against the embedded default (SQLite file), both
measured in the same run. 50 users for 60 s: half anonymous visitors (directory and company pages), half
members signed in as the two demo owners (directory, company pages, recommendations, their Expo agenda).

* PostgreSQL: production settings (DEBUG=0, Redis cache and broker, whitenoise's manifest storage after a
  collectstatic), except the HTTPS-only switches (SSL redirect, secure cookies, HSTS): no TLS proxy here.
* Embedded: nothing set but the SQLite file (DEBUG on, tasks inline, local-memory cache), as `make demo`.

Data: `seed_demo` (the demo companies, their matches, the Expo 2017 schedule built from them), then
`seed_demo --scale N --skip-matching`, then `recompute_matches --company` for the two demo companies whose
owners sign in, so their recommendations are drawn from all companies. The PostgreSQL database
(portal_bench_load) and the SQLite file are dropped at the end unless BENCH_LOAD_KEEP=1; logs, locust's
CSV files and the raw timings stay in var/bench_load/. Redis database 11 is flushed before and after.

BENCH_LOAD_SCALE (companies per country, 20000), BENCH_LOAD_SECONDS (60), BENCH_LOAD_USERS (50) shorten it.
BENCH_LOAD_BACKENDS ("postgresql,sqlite") runs one of the two alone; BENCH_LOAD_PG_NAME (portal_bench_load)
and BENCH_LOAD_REDIS_URL (redis://127.0.0.1:6379/11) let two runs share a machine, not a database.
BENCH_LOAD_REUSE=1 (with BENCH_LOAD_KEEP=1 on the run before) keeps the databases a previous run seeded: only
the migrations run, so a change of query or index is measured on the same data.
Every member signs in from 127.0.0.1: past 30 members, allauth's "login" rate limit (30/m/ip) answers 429.
"""

import json
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench_load"
PER_COUNTRY = int(os.environ.get("BENCH_LOAD_SCALE", "20000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
KEEP = os.environ.get("BENCH_LOAD_KEEP", "") == "1"
REUSE = os.environ.get("BENCH_LOAD_REUSE", "") == "1"
SPAWN_RATE = 10
RAMP_SECONDS = 20  # figures are also printed apart for the start: spawning and signing in
# 2 cores: one process per core; threads cover the waits on the database.
WORKERS, THREADS = 2, 4
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = os.environ.get("BENCH_LOAD_PG_NAME", "portal_bench_load")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
SQLITE_PATH = WORK / "portal_bench_load.sqlite3"
BACKENDS = os.environ.get("BENCH_LOAD_BACKENDS", "postgresql,sqlite").split(",")
LOGINS_PER_MINUTE = 30  # allauth's default "login" rate limit per IP address
MEMBERS = {"owner.jp@demo.example": "JP-DEMO-001", "owner.th@demo.example": "TH-DEMO-001"}
EVENT = "thailand-industry-expo-2017"
# Request names from bench/locustfile.py, in the order of the table.
PAGES = [
    "directory, no filter",
    "directory ?q=machining",
    "directory ?country=JP",
    "directory ?industry=medical-devices",
    "directory ?page=N",
    "company page",
    "recommendations",
    "Expo agenda",
    "login page",
    "login (POST)",
]
# Settings the caller's environment might hold: each run sets its own.
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "SQLITE_PATH",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_RESULT_BACKEND",
    "STATIC_ROOT",
    "PORTAL_REQUIRE_MFA_FOR_STAFF",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND",
}
TARGETS_SCRIPT = f"""
import json
from django.db.models import Q
from events.models import Meeting, Participant
from matching.models import MatchProposal
from portal.companies.models import Company
from portal.core.demo import DEMO_PASSWORD

members = []
for email, external_id in {MEMBERS!r}.items():
    participant = Participant.objects.get(event__slug={EVENT!r}, company__external_id=external_id)
    members.append({{
        "email": email,
        "company": external_id,
        "agenda": f"/events/{EVENT}/participants/{{participant.pk}}/agenda/",
        "meetings": Meeting.objects.filter(
            Q(request__sender=participant) | Q(request__recipient=participant)
        ).count(),
        "proposals": MatchProposal.objects.filter(company=participant.company).count(),
    }})
ids = list(Company.objects.verified().values_list("pk", flat=True))
print(json.dumps({{
    "members": members,
    "password": DEMO_PASSWORD,
    "company_ids": ids,
    "directory_pages": max(2, len(ids) // 20),
}}))
"""


def _environment(**settings: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings", PYTHONUNBUFFERED="1", **settings)
    return environment


def _manage(environment: dict[str, str], *arguments: str, log: Path) -> str:
    with log.open("a", encoding="utf-8") as errors:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            check=False,
        )
        errors.write(result.stdout)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed ({result.returncode}); see {log}")
    return result.stdout


def _postgres(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{PG_SERVER}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()


class Backend:
    def __init__(self, name: str, label: str, seed: dict[str, str], serve: dict[str, str]) -> None:
        self.name, self.label, self.seed_env, self.serve_env = name, label, seed, serve
        self.log = WORK / f"{name}-manage.log"
        self.targets: dict = {}
        self.seconds: dict[str, float] = {}

    def prepare(self) -> None:
        if REUSE and self._seeded():
            self._migrate_only()
            return
        if self.name == "postgresql":
            _postgres(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            _postgres(f"CREATE DATABASE {PG_NAME}")
        else:
            SQLITE_PATH.unlink(missing_ok=True)
        start = time.perf_counter()
        _manage(self.seed_env, "migrate", "--noinput", log=self.log)
        self.seconds["migrate"] = time.perf_counter() - start
        start = time.perf_counter()
        _manage(self.seed_env, "seed_demo", log=self.log)
        _manage(self.seed_env, "seed_demo", "--scale", str(PER_COUNTRY), "--skip-matching", log=self.log)
        self.seconds["seed"] = time.perf_counter() - start
        start = time.perf_counter()
        for external_id in MEMBERS.values():
            _manage(self.seed_env, "recompute_matches", "--company", external_id, "--inline", log=self.log)
        self.seconds["matches"] = time.perf_counter() - start
        if self.serve_env.get("DEBUG") == "0":
            _manage(self.serve_env, "collectstatic", "--noinput", "--verbosity", "0", log=self.log)
        self._read_targets()
        print(
            f"{self.label}: {len(self.targets['company_ids']):,} companies; migrate "
            f"{self.seconds['migrate']:.0f} s, seed_demo {self.seconds['seed']:.0f} s, matches for the demo "
            f"owners {self.seconds['matches']:.0f} s; "
            + "; ".join(
                f"{m['company']}: {m['proposals']} proposals, {m['meetings']} Expo meetings"
                for m in self.targets["members"]
            )
        )

    def _read_targets(self) -> None:
        output = _manage(self.seed_env, "shell", "--no-imports", "-c", TARGETS_SCRIPT, log=self.log)
        self.targets = json.loads(output.strip().splitlines()[-1])

    def _seeded(self) -> bool:
        if self.name != "postgresql":
            return SQLITE_PATH.exists()
        import psycopg2

        try:
            psycopg2.connect(f"{PG_SERVER}/{PG_NAME}").close()
        except psycopg2.OperationalError:
            return False
        return True

    def _migrate_only(self) -> None:
        _manage(self.seed_env, "migrate", "--noinput", log=self.log)
        if self.serve_env.get("DEBUG") == "0":
            _manage(self.serve_env, "collectstatic", "--noinput", "--verbosity", "0", log=self.log)
        self._read_targets()
        print(f"{self.label}: reused, {len(self.targets['company_ids']):,} companies")

    def load(self) -> dict:
        targets, results = WORK / f"{self.name}-targets.json", WORK / f"{self.name}-results.json"
        targets.write_text(json.dumps(self.targets), encoding="utf-8")
        results.unlink(missing_ok=True)
        port = _free_port()
        with (WORK / f"{self.name}-gunicorn.log").open("w", encoding="utf-8") as log:
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "portal.wsgi:application",
                    f"--workers={WORKERS}",
                    f"--threads={THREADS}",
                    f"--bind=127.0.0.1:{port}",
                    "--graceful-timeout=10",
                    "--no-control-socket",  # its default path is shared with any other gunicorn here
                ],
                cwd=ROOT,
                env=self.serve_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_up(port, server)
                _warm_up(port, self.targets)
                print(f"{self.label}: before the run, {_load_average()}")
                with (WORK / f"{self.name}-locust.log").open("w", encoding="utf-8") as locust_log:
                    subprocess.run(
                        [
                            str(BIN / "locust"),
                            "--locustfile=bench/locustfile.py",
                            "--headless",
                            "--only-summary",
                            f"--users={USERS}",
                            f"--spawn-rate={SPAWN_RATE}",
                            f"--run-time={SECONDS}s",
                            "--stop-timeout=10",
                            f"--host=http://127.0.0.1:{port}",
                            f"--csv={WORK / self.name}",
                        ],
                        cwd=ROOT,
                        env={
                            **os.environ,
                            "BENCH_LOAD_TARGETS": str(targets),
                            "BENCH_LOAD_RESULTS": str(results),
                        },
                        stdout=locust_log,
                        stderr=subprocess.STDOUT,
                        check=False,
                        timeout=SECONDS + 120,
                    )
                print(f"{self.label}: after the run, {_load_average()}")
            finally:
                _stop(server)
        if not results.exists():
            raise RuntimeError(f"locust wrote no results; see {WORK / f'{self.name}-locust.log'}")
        return json.loads(results.read_text(encoding="utf-8"))

    def drop(self) -> None:
        if self.name == "postgresql":
            _postgres(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        else:
            SQLITE_PATH.unlink(missing_ok=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline, problem = time.monotonic() + seconds, "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30):
                return
        except urllib.error.HTTPError as error:  # 500 or 503: see the gunicorn log
            problem = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:  # not listening yet, workers still booting
            problem = str(error)
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /healthz with 200 in {seconds} s: {problem}")


def _warm_up(port: int, targets: dict) -> None:
    """Each worker loads its templates and URL patterns before the clock starts."""
    paths = ["/directory/", "/directory/?q=machining", f"/directory/{targets['company_ids'][0]}/"]
    for _ in range(2 * WORKERS):
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                response.read()


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[math.ceil(0.95 * len(timings)) - 1]  # nearest rank
    return f"{statistics.median(timings):,.0f} / {p95:,.0f}"


def _figures(page: dict | None) -> list[str]:
    if not page or not page["requests"]:
        return ["—", "0", "—"]
    errors = sum(page["failures"].values())
    return [_percentiles([ms for _, ms in page["requests"]]), f"{len(page['requests']):,}", f"{errors:,}"]


def _print_ramp(backend: "Backend", results: dict) -> None:
    """The same pages while users are spawned and sign in (PBKDF2 hashing) and after."""
    browsing = [
        request for name, page in results.items() if "login" not in name for request in page["requests"]
    ]
    if not browsing:
        return
    start = min(started for started, _ in browsing)
    early = [ms for started, ms in browsing if started - start < RAMP_SECONDS]
    late = [ms for started, ms in browsing if started - start >= RAMP_SECONDS]
    print(
        f"{backend.label}, every page but the login, median / p95 ms: first {RAMP_SECONDS} s (spawn, "
        f"{USERS - USERS // 2} logins) {_percentiles(early) if early else '—'} over {len(early):,} requests; "
        f"after {_percentiles(late) if late else '—'} over {len(late):,}"
    )


def _print_table(backends: list[Backend], results: dict[str, dict]) -> None:
    seen = {name for figures in results.values() for name in figures}
    names = [name for name in PAGES if name in seen] + sorted(seen - set(PAGES))
    print(
        f"\n{USERS} users ({USERS // 2} anonymous, {USERS - USERS // 2} members) for {SECONDS} s, spawned "
        f"{SPAWN_RATE}/s, 1–3 s between pages; gunicorn {WORKERS} workers x {THREADS} threads"
    )
    header = ["page"]
    for backend in backends:
        header += [f"{backend.label}: median / p95 ms", "requests", "errors"]
    rows = [header] + [
        [name, *(cell for backend in backends for cell in _figures(results[backend.name].get(name)))]
        for name in names
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    rule = ["-" * widths[0], *("-" * (width - 1) + ":" for width in widths[1:])]
    for row in [rows[0], rule, *rows[1:]]:
        cells = [cell.rjust(width) for cell, width in zip(row, widths, strict=True)]
        print("| " + " | ".join([row[0].ljust(widths[0]), *cells[1:]]) + " |")
    for backend in backends:
        _print_ramp(backend, results[backend.name])
    for backend in backends:
        for name, page in sorted(results[backend.name].items()):
            for message, count in page["failures"].items():
                print(f"{backend.label}, {name}: {count} x {message}")


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in [*WORK.glob("*.log"), *WORK.glob("*.csv"), *WORK.glob("*.json")]:
        stale.unlink()
    database_url = f"{PG_SERVER}/{PG_NAME}"
    embedded = _environment(SQLITE_PATH=str(SQLITE_PATH))
    backends = [
        Backend(
            "postgresql",
            "PostgreSQL + gunicorn",
            seed=_environment(DEBUG="1", DATABASE_URL=database_url),
            serve=_environment(
                DEBUG="0",
                SECRET_KEY=secrets.token_urlsafe(64),
                ALLOWED_HOSTS="127.0.0.1,localhost",
                DATABASE_URL=database_url,
                CELERY_BROKER_URL=REDIS_URL,
                REDIS_URL=REDIS_URL,
                STATIC_ROOT=str(WORK / "static"),
                SECURE_SSL_REDIRECT="0",
                SESSION_COOKIE_SECURE="0",
                CSRF_COOKIE_SECURE="0",
                SECURE_HSTS_SECONDS="0",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ),
        ),
        Backend("sqlite", "embedded (SQLite)", seed=embedded, serve=embedded),
    ]
    backends = [backend for backend in backends if backend.name in BACKENDS]
    if USERS - USERS // 2 > LOGINS_PER_MINUTE:
        print(f"warning: more than {LOGINS_PER_MINUTE} members sign in from one address: expect 429s")
    what = (
        "reusing the databases of the last run"
        if REUSE
        else f"seeding {PER_COUNTRY:,} synthetic companies per country into each database"
    )
    print(f"{what}; {_load_average()}")
    try:
        _flush_redis()
        for backend in backends:
            backend.prepare()
        results = {backend.name: backend.load() for backend in backends}
    finally:
        _flush_redis()
        if not KEEP:
            for backend in backends:
                backend.drop()
            shutil.rmtree(WORK / "static", ignore_errors=True)
    _print_table(backends, results)
    print(f"logs, locust CSV files and raw timings in {WORK.relative_to(ROOT)}/")
