"""The JSONL export of 1,000,000 annotations, against gunicorn with the production settings (issue 9, row 6).

The annotations come in as a user's would: through POST /api/annotations/bulk/, 1,000 a request, onto documents of
10,000 spans each (the 4.5 KB sample, numbered), from a few clients at once; how long that took is printed.
Then GET /api/export/?format=jsonl of the project: annotations per second, against PostgreSQL's own
COPY (SELECT ...) TO STDOUT of the same rows and columns in the same run (the floor), and the exporting worker's peak
memory (VmHWM) against its size before the export (goal: flat).

BENCH_EXPORT_ROWS sets the row count (default 1,000,000 x BENCH_SCALE); BENCH_FILL_CLIENTS the clients that post
the rows (default 3, one per worker).
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import support  # noqa: E402

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", support.scaled(1_000_000)))
PER_DOCUMENT = min(10_000, ROWS)
FILL_CLIENTS = int(os.environ.get("BENCH_FILL_CLIENTS", "3"))
PROJECT = "Export benchmark"
MEMORY_GROWTH_MB = 100

# The export's rows and columns, in its order, as PostgreSQL alone would write them.
COPY = """COPY (
    SELECT a.document_id, d.title, a.start, a."end", a.quote, t.slug, a.note, u.username, a.created, a.modified
    FROM annotations_annotation a JOIN documents_document d ON d.id = a.document_id
    JOIN projects_tag t ON t.id = a.tag_id JOIN accounts_user u ON u.id = a.annotator_id
    WHERE d.project_id = %s ORDER BY a.document_id, a.start, a."end", a.id
) TO STDOUT"""


def fill(lector: support.Lector) -> int:
    """ROWS annotations through the bulk endpoint; the project's id."""
    text = support.sample_text()
    bodies = []
    for number in range((ROWS + PER_DOCUMENT - 1) // PER_DOCUMENT):
        title = f"Export document {number}"
        document = lector.document(title, f"{title}\n\n{text}", project=PROJECT)
        count = min(PER_DOCUMENT, ROWS - number * PER_DOCUMENT)
        if lector.annotation_count(document["id"]) == count:  # posted by an earlier run on this bench database
            continue
        bodies += support.bulk_bodies(document["id"], support.spans(len(document["text"]), count))

    local = threading.local()

    def post(body):
        if not hasattr(local, "session"):
            local.session = lector.token_session()
        session = local.session
        response = session.post(f"{lector.base}/api/annotations/bulk/", data=body,
                                headers={"Content-Type": "application/json"}, timeout=900)  # fmt: skip
        assert response.status_code == 201, response.text[:500]

    if not bodies:
        print(f"  setup: the {ROWS:,} annotations are there from an earlier run")
        return lector.project(PROJECT)["id"]
    began = time.perf_counter()
    with ThreadPoolExecutor(FILL_CLIENTS) as pool:
        list(pool.map(post, bodies))
    elapsed = time.perf_counter() - began
    print(f"  setup: {ROWS:,} annotations posted through the bulk endpoint ({len(bodies):,} requests, "
          f"{FILL_CLIENTS} clients) in {elapsed:.1f} s, {ROWS / elapsed:,.0f}/s")  # fmt: skip
    return lector.project(PROJECT)["id"]


def copy_rows_per_second(project_id: int) -> tuple[int, float]:
    class Counter:
        rows = 0

        def write(self, data):
            self.rows += data.count("\n") if isinstance(data, str) else data.count(b"\n")

    counter = Counter()
    connection = support.connect()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.copy_expert(cursor.mogrify(COPY, [project_id]).decode(), counter)
    elapsed = time.perf_counter() - began
    connection.close()
    return counter.rows, counter.rows / elapsed


def export_rows_per_second(lector: support.Lector, project_id: int) -> tuple[int, float]:
    rows = 0
    began = time.perf_counter()
    with requests.get(
        f"{lector.base}/api/export/",
        params={"format": "jsonl", "project": project_id},
        headers={"Authorization": f"Token {lector.token}"},
        stream=True,
        timeout=900,
    ) as response:
        assert response.status_code == 200, response.text[:500]
        for chunk in response.iter_content(chunk_size=1 << 16):
            rows += chunk.count(b"\n")
    return rows, rows / (time.perf_counter() - began)


def main():
    with support.gunicorn() as server:
        project_id = fill(support.Lector(server.base))
    with support.gunicorn() as server:  # fresh workers: their memory before the export is their start-up size
        lector = support.Lector(server.base)
        before = max(server.worker_peak_mb())
        copied, copy_rate = copy_rows_per_second(project_id)
        exported, export_rate = export_rows_per_second(lector, project_id)
        after = max(server.worker_peak_mb())
    assert exported == copied, f"the export wrote {exported:,} rows, COPY {copied:,}"
    support.record(
        f"JSONL export of {exported:,} annotations",
        f"{export_rate:,.0f} rows/s",
        f"COPY {copy_rate:,.0f} rows/s",
        export_rate / copy_rate,
        ">= 0.5x COPY",
        export_rate >= 0.5 * copy_rate,
    )
    support.record(
        "  the same: exporting worker's peak memory (VmHWM)",
        f"{after:.0f} MB",
        f"{before:.0f} MB before the export",
        after / before,
        f"flat: < {MEMORY_GROWTH_MB} MB more",
        after - before < MEMORY_GROWTH_MB,
    )


if __name__ == "__main__":
    main()
