"""The harness every benchmark shares; not a benchmark itself (`make bench` runs every other bench/*.py).

The benchmarks are clients, as a user's scripts are: they start Lector with the README's production command
(PRODUCTION_COMMAND, production settings) on a database of their own, `<database>_bench`, made afresh by
`bench/support.py begin`, and put every piece of data in through what a user has: a management command for the login,
the login form and the project form, then the REST API with a token. Each benchmark records its figures beside their
floor (measured in the same run) and their goal; `bench/support.py summary` prints them all as one table.

Sizes: BENCH_SCALE (default 1) scales the document, the spans and the request counts, for trying the harness out;
goals are judged at scale 1 only. BENCH_EXPORT_ROWS sets the export's row count (default 1,000,000 x scale).

    python bench/support.py begin     make the bench database afresh and forget earlier figures
    python bench/support.py summary   print the table of every figure recorded since `begin`
"""

import contextlib
import gzip
import json
import os
import random
import re
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = OUT / "results.jsonl"
STATE = OUT / "state.json"  # the bench login's token and the ids of the documents made in this run
# Exactly the README's production command ("Serving in production"); tests/test_serving.py holds them together.
PRODUCTION_COMMAND = "gunicorn -c gunicorn.conf.py config.wsgi"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
USERNAME = "bench"
PASSWORD = "bench-password-1"
PROJECT = "Benchmark"
SAMPLE = ROOT / "fixtures" / "documents" / "baghuz-2019-03-12.txt"
TAGS = ("actor", "location", "quantity")
BULK_BATCH = 1000

SCALE = float(os.environ.get("BENCH_SCALE", "1"))


def scaled(count: int) -> int:
    return max(1, round(count * SCALE))


# --- data: the same everywhere (peers, floors, Lector) ----------------------------------------------------------------

DOCUMENT_CHARS = scaled(1_000_000)
SPANS = scaled(20_000)


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def big_text() -> str:
    """The sample article repeated to DOCUMENT_CHARS characters."""
    seed = sample_text()
    return ((seed + "\n\n") * (DOCUMENT_CHARS // (len(seed) + 2) + 1))[:DOCUMENT_CHARS]


def spans(length: int, count: int = SPANS) -> list[tuple[int, int, str]]:
    """(start, end, tag): random.seed(1), start uniform, length 3-39, tags actor/location/quantity in turn."""
    random.seed(1)
    result = []
    for index in range(count):
        start = random.randrange(0, length - 40)
        result.append((start, start + random.randrange(3, 40), TAGS[index % 3]))
    return result


def bulk_bodies(document_id: int, rows) -> list[bytes]:
    """The bulk endpoint's request bodies, BULK_BATCH annotations each, encoded once so that timing sends only."""
    items = [{"document": document_id, "start": start, "end": end, "tag": tag} for start, end, tag in rows]
    return [json.dumps(items[i : i + BULK_BATCH]).encode() for i in range(0, len(items), BULK_BATCH)]


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- the bench database -----------------------------------------------------------------------------------------------


def _bench_database_url() -> str:
    """The caller's DATABASE_URL with `_bench` after the database name (BENCH_DATABASE_URL to choose another)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


CALLER_DATABASE_URL = os.environ["DATABASE_URL"]
BENCH_DATABASE_URL = _bench_database_url()


def bench_database_url() -> str:
    return BENCH_DATABASE_URL


def connect(url: str | None = None):
    config = dj_database_url.parse(url or bench_database_url())
    return psycopg2.connect(
        dbname=config["NAME"],
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )


def manage(*args: str, **env: str) -> str:
    environment = dict(os.environ, DATABASE_URL=bench_database_url(), DEBUG="1", **env)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def begin() -> None:
    """A fresh bench database, migrated, with the bench login; earlier figures forgotten."""
    name = dj_database_url.parse(bench_database_url())["NAME"]
    admin = connect(CALLER_DATABASE_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage("migrate", "--noinput")
    # The one thing not done through the app: a login, made the way an administrator makes one.
    manage("createsuperuser", "--noinput", "--username", USERNAME, "--email", "bench@example.org",
           DJANGO_SUPERUSER_PASSWORD=PASSWORD)  # fmt: skip
    OUT.mkdir(exist_ok=True)
    RESULTS.write_text("")
    STATE.unlink(missing_ok=True)
    print(f"bench database {name}: migrated, login {USERNAME}; scale {SCALE:g}")


# --- gunicorn with the production settings ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(**overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    # Plain http on 127.0.0.1: no https redirect, cookies that travel over http. Everything else as in production.
    env.update(DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
               SECURE_COOKIES="0", DATABASE_URL=bench_database_url())  # fmt: skip
    env.update(overrides)
    return env


_collected = False


def collectstatic() -> Path:
    global _collected
    if not _collected:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=production_env(), check=True)  # fmt: skip
        _collected = True
    return ROOT / "staticfiles"


def publish_static(name: str, content: bytes | str) -> str:
    """Put a file where WhiteNoise serves it from (with its gzip twin, as collectstatic makes them); its URL path.

    WhiteNoise reads the directory when gunicorn starts: publish before `gunicorn()`."""
    content = content.encode() if isinstance(content, str) else content
    target = collectstatic() / "bench" / name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(content)
    target.with_name(name + ".gz").write_bytes(gzip.compress(content, 6))
    return f"/static/bench/{name}"


@dataclass
class Server:
    base: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_peak_mb(self) -> list[float]:
        """Each worker's resident high-water mark (VmHWM)."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+)", status, re.M).group(1)) / 1024)
        return peaks


def _spawn_gunicorn(port: int, options, **env: str) -> subprocess.Popen:
    collectstatic()
    command = shlex.split(PRODUCTION_COMMAND)
    command[0] = str(Path(sys.executable).with_name(command[0]))  # the virtualenv's gunicorn
    return subprocess.Popen([*command, *options], cwd=ROOT, env=production_env(PORT=str(port), **env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def warm_up(server: Server) -> None:
    """Concurrent requests until every worker has answered some: a worker imports the URL conf, the views and the
    templates on its first requests, which no figure should include."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_):
        requests.get(server.base + "/accounts/login/", timeout=60)

    with ThreadPoolExecutor(16) as pool:
        for _ in range(3):
            list(pool.map(get, range(32)))


@contextlib.contextmanager
def gunicorn(**env: str):
    """PRODUCTION_COMMAND on a free port, with gunicorn.conf.py's settings unless `env` overrides them
    (WEB_CONCURRENCY, GUNICORN_THREADS)."""
    port = free_port()
    process = _spawn_gunicorn(port, (), **env)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wanted = int(env.get("WEB_CONCURRENCY") or 0)
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited at start-up")
            with contextlib.suppress(requests.RequestException):
                requests.get(server.base + "/accounts/login/", timeout=30)
                if not wanted or len(server.worker_pids()) >= wanted:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer")
        warm_up(server)
        yield server
    finally:
        process.terminate()
        process.wait()


def setup_django() -> None:
    """Django in this process, on the bench database, for a benchmark that needs the ORM to read (never to write
    what a user would create: that goes through the API)."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(DATABASE_URL=BENCH_DATABASE_URL, SECRET_KEY=SECRET_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the ORM
    import django

    django.setup()


def start_gunicorn(port: int, *options: str) -> subprocess.Popen:
    """PRODUCTION_COMMAND on `port` with extra gunicorn options; for scripts that manage the process themselves
    (the `gunicorn()` context manager is simpler)."""
    server = _spawn_gunicorn(port, options)
    for _ in range(300):
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


# --- a user's way in --------------------------------------------------------------------------------------------------


class Lector:
    """The bench user's client: a token for the API, a logged-in session for pages."""

    def __init__(self, base: str):
        self.base = base
        self.state = json.loads(STATE.read_text()) if STATE.exists() else {"documents": {}}
        if "token" not in self.state:  # once a run: token requests are throttled, in the database
            token = requests.post(f"{base}/api/auth/token/", json={"username": USERNAME, "password": PASSWORD})
            token.raise_for_status()
            self.state["token"] = token.json()["token"]
            self.save()
        self.token = self.state["token"]
        self.api = self.token_session()

    def save(self) -> None:
        STATE.write_text(json.dumps(self.state))

    def token_session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.token}"
        return session

    def browser_session(self) -> requests.Session:
        """Logged in through the login form, as in a browser."""
        session = requests.Session()
        session.get(f"{self.base}/accounts/login/").raise_for_status()
        response = session.post(
            f"{self.base}/accounts/login/",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{self.base}/accounts/login/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.status_code
        return session

    def project(self, name: str = PROJECT) -> dict:
        """The bench's project of that name (made through the New project form the first time), with its tags."""
        for project in self.api.get(f"{self.base}/api/projects/").json()["results"]:
            if project["name"] == name:
                return project
        session = self.browser_session()
        response = session.post(
            f"{self.base}/projects/new/",
            data={"name": name, "description": "make bench", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{self.base}/projects/new/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:500]
        return self.project(name)

    def document(self, title: str, text: str, project: str = PROJECT) -> dict:
        """The document of that title, imported into the project through the API the first time."""
        known = self.state["documents"].get(title)
        if known:
            return self.api.get(f"{self.base}/api/documents/{known}/").json()
        body = {"project": self.project(project)["id"], "title": title, "text": text}
        response = self.api.post(f"{self.base}/api/documents/", json=body)
        assert response.status_code == 201, response.text[:500]
        self.state["documents"][title] = response.json()["id"]
        self.save()
        return response.json()

    def annotation_count(self, document_id: int) -> int:
        params = {"document": document_id, "page_size": 1}
        return self.api.get(f"{self.base}/api/annotations/", params=params).json()["count"]

    def post_bulk(self, body: bytes) -> requests.Response:
        return self.api.post(f"{self.base}/api/annotations/bulk/", data=body,
                             headers={"Content-Type": "application/json"}, timeout=900)  # fmt: skip


BIG_TITLE = "1 MB report"  # the 1 MB document of issue 9's figures
BIG = f"{DOCUMENT_CHARS / 1e6:g} MB"  # its size, in the figures' names


def spanned_document(lector: Lector) -> dict:
    """The big document with its SPANS annotations, posted through the bulk endpoint if they are not there yet
    (bench/writes.py times that; the other benchmarks only need the result)."""
    document = lector.document(BIG_TITLE, big_text())
    if lector.annotation_count(document["id"]) < SPANS:
        began = time.perf_counter()
        for body in bulk_bodies(document["id"], spans(len(document["text"]))):
            response = lector.post_bulk(body)
            assert response.status_code == 201, response.text[:500]
        print(f"  setup: {SPANS:,} spans posted through the bulk endpoint in {time.perf_counter() - began:.1f} s")
    return document


# --- figures ----------------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    figure: str
    lector: str
    floor: str
    ratio: float | None
    goal: str
    passed: bool | None


def record(figure: str, lector: str, floor: str, ratio: float | None, goal: str, passed: bool | None) -> None:
    """Print one figure and keep it for the summary. `passed` is None where the goal is not a pass/fail one."""
    row = Figure(figure, lector, floor, ratio, goal, passed if SCALE == 1 else None)
    ratio_text = f"{ratio:.2f}x" if ratio is not None else "-"
    print(f"  {figure}: {lector} | floor {floor} | {ratio_text} | goal {goal} | {verdict(row)}")
    OUT.mkdir(exist_ok=True)
    with RESULTS.open("a") as results:
        results.write(json.dumps(asdict(row)) + "\n")


def verdict(row: Figure) -> str:
    if row.passed is None:
        return "-" if SCALE == 1 else f"(scale {SCALE:g})"
    return "pass" if row.passed else "FAIL"


def summary() -> None:
    rows = [Figure(**json.loads(line)) for line in RESULTS.read_text().splitlines() if line] if RESULTS.exists() else []
    header = ("figure", "Lector", "floor (same run)", "ratio", "goal", "pass/fail")
    table = [header] + [
        (r.figure, r.lector, r.floor, f"{r.ratio:.2f}x" if r.ratio is not None else "-", r.goal, verdict(r))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print(f"\n== summary ({len(rows)} figures, scale {SCALE:g})")
    for index, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    if SCALE != 1:
        print(f"BENCH_SCALE={SCALE:g}: sizes scaled, so no figure is judged against its goal.")
    elif rows:
        judged = [r for r in rows if r.passed is not None]
        print(f"{sum(r.passed for r in judged)} of {len(judged)} goals met")


if __name__ == "__main__":
    {"begin": begin, "summary": summary}[sys.argv[1]]()
