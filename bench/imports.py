"""Batch import through the API, end to end (issue 9, item 5): 10,000 documents in one 20 MB JSONL, POSTed to
`/api/documents/import/` on gunicorn with the README's production command, imported by `manage.py db_worker` (also
with the production settings); the figure is the time from the POST to the batch's `finished` state, as seen by
polling its status URL.

Floor: PostgreSQL's `COPY` of the same documents (title, text, source, author, date, content hash) into a scratch
table shaped like Lector's document table (`LIKE documents_document INCLUDING ALL`: the generated search vector and
its GIN index included), in the same run: what storing these rows costs the database at the least.
"""

import contextlib
import hashlib
import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import support  # noqa: E402

DOCUMENTS = support.scaled(10_000)
WORDS_PER_DOCUMENT = 280  # about 2 KB a document, 20 MB in all
GOAL_SECONDS = 60
POLL_SECONDS = 0.2
PROJECT = "Imports benchmark"
SENTENCE = (
    "the fighters surrendered in Baghuz while coalition aircraft struck positions near Raqqa and Idlib; officials "
    "said hundreds of civilians left the enclave on Tuesday, according to the Syrian Democratic Forces"
)
WORDS = SENTENCE.split()


def records(seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "title": f"Report {n}",
            "text": f"Report {n}. " + " ".join(rng.choice(WORDS) for _ in range(WORDS_PER_DOCUMENT)),
            "source_url": f"https://example.org/reports/{n}",
            "author": "Bench",
            "published": "2019-03-12",
        }
        for n in range(DOCUMENTS)
    ]


def copy_floor_seconds(rows: list[dict], project_id: int) -> float:
    """COPY the same documents into a scratch table with the document table's columns, defaults and indexes."""
    data = io.StringIO()
    for row in rows:
        digest = hashlib.sha256(row["text"].encode()).hexdigest()
        fields = (row["title"], row["text"], row["source_url"], row["author"], row["published"], digest)
        data.write("\t".join(field.replace("\\", "\\\\") for field in fields) + f"\t{project_id}\tnow\tnow\n")
    connection = support.connect()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE floor_documents (LIKE documents_document INCLUDING ALL)")
            data.seek(0)
            began = time.perf_counter()
            cursor.copy_expert(
                "COPY floor_documents (title, text, source_url, author, published, content_hash, project_id, "
                "created, modified) FROM STDIN",
                data,
            )
            return time.perf_counter() - began
    finally:
        connection.close()


@contextlib.contextmanager
def db_worker():
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(command, cwd=support.ROOT, env=support.production_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def main() -> None:
    rows = records()
    data = ("\n".join(json.dumps(row) for row in rows) + "\n").encode()
    with support.gunicorn() as server, db_worker():
        lector = support.Lector(server.base)
        project = lector.project(PROJECT)
        began = time.perf_counter()
        response = lector.api.post(
            f"{server.base}/api/documents/import/",
            data={"project": project["id"]},
            files=[("files", ("bench.jsonl", data, "application/jsonl"))],
            timeout=300,
        )
        accepted = time.perf_counter()
        assert response.status_code == 202, response.text[:500]
        status_url = server.base + response.json()["status_url"]
        while (status := lector.api.get(status_url, timeout=60).json())["state"] not in ("finished", "failed"):
            if time.perf_counter() - began > 10 * GOAL_SECONDS:
                raise RuntimeError(f"the import did not finish: {status['state']}")
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - began
    imported = status["documents_imported"]
    if status["state"] != "finished" or imported != DOCUMENTS:
        raise RuntimeError(f"import {status['state']}: {imported} of {DOCUMENTS} imported, {status['errors']}")
    floor = copy_floor_seconds(rows, project["id"])
    megabytes = len(data) / 1_000_000
    print(f"  of which the upload until the 202: {accepted - began:.1f} s; {DOCUMENTS / seconds:,.0f} documents/s")
    support.record(
        f"import {DOCUMENTS:,} documents ({megabytes:.0f} MB JSONL) through the API, POST to finished",
        f"{seconds:.1f} s",
        f"COPY of the same rows {floor:.1f} s",
        seconds / floor,
        f"<= {GOAL_SECONDS} s",
        seconds <= GOAL_SECONDS,
    )


if __name__ == "__main__":
    main()
