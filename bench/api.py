"""REST API figures against gunicorn with the production settings.

(1) Creating annotations one by one over keep-alive connections, with 1 client and with 8 concurrent clients:
p50/p95 latency and creates per second. (2) Exporting 1,000,000 annotations as JSONL: annotations per second, as a
ratio against PostgreSQL's own COPY (SELECT ...) TO STDOUT of the same rows in the same run, and the peak memory of
the gunicorn worker. Run with `make bench` (or `.venv/bin/python bench/api.py` with DATABASE_URL set).
"""

import datetime
import io
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import free_port, percentile, setup_django, start_gunicorn  # noqa: E402

setup_django()

import requests  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.documents.services import document_create  # noqa: E402
from apps.projects.services import project_create  # noqa: E402

CREATES_PER_CLIENT = 200
EXPORT_DOCUMENTS = 100
EXPORT_PER_DOCUMENT = 10_000
SENTENCE = "The SDF said about 3,000 people left Baghuz on Tuesday as coalition aircraft struck. "


def start_api_server(port, workers):
    options = ["-w", str(workers), "--worker-class", "gthread", "--threads", "4", "--keep-alive", "30"]
    return start_gunicorn(port, *options, "--timeout", "600")


def worker_pids(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@transaction.atomic
def make_project():
    stamp = int(time.time())
    user = User.objects.create_user(f"bench-api-{stamp}", password="bench-password-1")
    project = project_create(name=f"API benchmark {stamp}", owner=user)
    document = document_create(project=project, user=user, title="Create target", text=SENTENCE * 2000)
    return user, project, document


def create_round(base, token, document, clients):
    latencies = []
    lock = threading.Lock()
    sentence = len(SENTENCE)

    def client(index):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        mine = []
        for n in range(CREATES_PER_CLIENT):
            start = ((index * CREATES_PER_CLIENT + n) % 2000) * sentence + 4
            body = {"document": document.pk, "start": start, "end": start + 3, "tag": "actor", "quote": "SDF"}
            began = time.perf_counter()
            response = session.post(f"{base}/api/annotations/", json=body)
            mine.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 201, response.text
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return percentile(latencies, 0.5), percentile(latencies, 0.95), len(latencies) / elapsed


def fill_export_rows(project, user):
    """Insert the export's annotations with COPY: the ORM (or SQL substr() on long texts) would take minutes."""
    tags = list(project.tags.values_list("id", flat=True))
    text = SENTENCE * 1200
    now = datetime.datetime.now(datetime.UTC).isoformat()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Bench data only: skip the history triggers (and FK checks) for this transaction, as a restore would.
            cursor.execute("SET LOCAL session_replication_role = replica")
        for n in range(EXPORT_DOCUMENTS):
            document = document_create(project=project, user=user, title=f"Export document {n}", text=f"{n} {text}")
            rows = io.StringIO()
            for g in range(EXPORT_PER_DOCUMENT):
                start = g * 10
                quote = document.text[start : start + 6].replace("\\", "\\\\")
                rows.write(
                    f"{now}\t{now}\t{document.pk}\t{tags[g % 3]}\t{start}\t{start + 6}\t{quote}\t\t{user.pk}\t1\n"
                )
            rows.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    "COPY annotations_annotation (created, modified, document_id, tag_id, start, "
                    '"end", quote, note, annotator_id, version) FROM STDIN',
                    rows,
                )


def copy_rows_per_second(project):
    class Sink:
        rows = 0

        def write(self, data):
            self.rows += data.count("\n") if isinstance(data, str) else data.count(b"\n")

    sink = Sink()
    query = f"""
        COPY (SELECT a.document_id, d.title, a.start, a."end", a.quote, t.slug, a.note, u.username, a.created,
                     a.modified
              FROM annotations_annotation a JOIN documents_document d ON d.id = a.document_id
              JOIN projects_tag t ON t.id = a.tag_id JOIN accounts_user u ON u.id = a.annotator_id
              WHERE d.project_id = {int(project.pk)} ORDER BY a.document_id, a.start, a."end", a.id) TO STDOUT
    """
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(query, sink)
    return sink.rows, sink.rows / (time.perf_counter() - began)


def export_rows_per_second(base, token, project):
    began = time.perf_counter()
    rows = 0
    with requests.get(
        f"{base}/api/export/",
        params={"format": "jsonl", "project": project.pk},
        headers={"Authorization": f"Token {token}"},
        stream=True,
    ) as response:
        assert response.status_code == 200, response.text[:500]
        for chunk in response.iter_content(chunk_size=1 << 16):
            rows += chunk.count(b"\n")
    return rows, rows / (time.perf_counter() - began)


def main():
    user, project, document = make_project()
    token = Token.objects.create(user=user).key
    try:
        port = free_port()
        server = start_api_server(port, workers=3)
        base = f"http://127.0.0.1:{port}"
        try:
            requests.get(f"{base}/api/projects/", headers={"Authorization": f"Token {token}"}, timeout=10)
            for clients in (1, 8):
                p50, p95, rate = create_round(base, token, document, clients)
                print(
                    f"create one by one, {clients} client{'s' if clients > 1 else ''} x {CREATES_PER_CLIENT} "
                    f"(gunicorn 3 workers x 4 threads): p50 {p50:.1f} ms, p95 {p95:.1f} ms, {rate:.0f} creates/s"
                )
        finally:
            server.terminate()
            server.wait()

        began = time.perf_counter()
        fill_export_rows(project, user)
        print(
            f"setup: {EXPORT_DOCUMENTS * EXPORT_PER_DOCUMENT:,} annotations inserted "
            f"({time.perf_counter() - began:.1f} s)"
        )
        server = start_api_server(port, workers=1)
        try:
            worker = worker_pids(server)
            baseline = max(peak_rss_mb(pid) for pid in worker) if worker else 0
            copied, copy_rate = copy_rows_per_second(project)
            exported, export_rate = export_rows_per_second(base, token, project)
            peak = max(peak_rss_mb(pid) for pid in worker_pids(server) or worker)
        finally:
            server.terminate()
            server.wait()
        print(
            f"export JSONL: {exported:,} annotations at {export_rate:,.0f}/s; PostgreSQL COPY of the same "
            f"{copied:,} rows at {copy_rate:,.0f}/s; ratio export/COPY {export_rate / copy_rate:.2f}"
        )
        print(f"export worker peak memory (VmHWM): {peak:.0f} MB (after start-up: {baseline:.0f} MB)")
    finally:
        with transaction.atomic(), connection.cursor() as cursor:  # a million rows: in SQL, and without history
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "DELETE FROM annotations_annotation WHERE document_id IN "
                "(SELECT id FROM documents_document WHERE project_id = %s)",
                [project.pk],
            )
        project.delete()
        Token.objects.filter(user=user).delete()
        user.delete()


if __name__ == "__main__":
    main()
