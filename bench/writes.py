"""Writes through the API, against gunicorn with the production settings (issue 9, rows 1 and 2).

(a) SPANS spans posted to POST /api/annotations/bulk/ in requests of 1,000 on the 1 MB document: total seconds and
    each worker's peak resident memory (VmHWM). Floor: the same request bodies posted to the authenticated no-op view
    (POST /api/ping/ ignores its body), on the same server just before: what HTTP, authentication and the bytes cost.
(b) One span created at a time on the 4.5 KB sample document, 1 client and 8 clients over keep-alive connections:
    creates/s, p50/p95. Floors: the no-op view's round trip (GET /api/ping/) with the same clients in the same run,
    and doccano 1.8.4's figures for the same work, recorded once in bench/doccano.json (doccano is not part of a
    clone, so it cannot run here).
"""

import json
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import support  # noqa: E402

CREATES_PER_CLIENT = {1: support.scaled(300), 8: support.scaled(60)}  # as bench_doccano.py
DOCCANO = json.loads((Path(__file__).with_name("doccano.json")).read_text())


def bulk(lector: support.Lector, server: support.Server) -> None:
    document = lector.document(support.BIG_TITLE, support.big_text())
    assert lector.annotation_count(document["id"]) == 0, "the document has spans already: run bench/support.py begin"
    bodies = support.bulk_bodies(document["id"], support.spans(len(document["text"])))
    ping = lector.token_session()
    began = time.perf_counter()
    for body in bodies:
        response = ping.post(f"{server.base}/api/ping/", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.text[:300]
    floor_s = time.perf_counter() - began
    floor_peak = max(server.worker_peak_mb())

    began = time.perf_counter()
    for body in bodies:
        response = lector.post_bulk(body)
        assert response.status_code == 201, response.text[:500]
    total_s = time.perf_counter() - began
    peaks = server.worker_peak_mb()
    megabytes = sum(map(len, bodies)) / 1e6
    support.record(
        f"{support.SPANS:,} spans, bulk API, {len(bodies)} x {support.BULK_BATCH:,} on the {support.BIG} document",
        f"{total_s:.1f} s",
        f"{floor_s:.2f} s (the same {megabytes:.2f} MB posted to the no-op view)",
        total_s / floor_s,
        "<= 10 s",
        total_s <= 10,
    )
    support.record(
        "  the same: each worker's peak memory (VmHWM)",
        " / ".join(f"{peak:.0f}" for peak in peaks) + " MB",
        f"{floor_peak:.0f} MB (after the no-op posts)",
        max(peaks) / floor_peak,
        "<= 300 MB",
        max(peaks) <= 300,
    )


def clients_round(clients: int, each: int, request) -> tuple[float, float, float]:
    """Run `request(session)` `each` times in each of `clients` threads; p50 and p95 ms, requests per second."""
    latencies = []
    lock = threading.Lock()

    def client():
        session = request.session()
        request(session)  # connect: the figures are of round trips over a kept-alive connection
        mine = []
        for _ in range(each):
            began = time.perf_counter()
            request(session)
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return support.percentile(latencies, 0.5), support.percentile(latencies, 0.95), len(latencies) / elapsed


class Ping:
    def __init__(self, lector, server):
        self.lector, self.url = lector, f"{server.base}/api/ping/"

    def session(self):
        return self.lector.token_session()

    def __call__(self, session):
        response = session.get(self.url)
        assert response.status_code == 200, response.text[:300]


class CreateOne:
    """POST /api/annotations/ of a 10-character span at a random place of the sample, as bench_doccano.py does."""

    def __init__(self, lector, server, document):
        self.lector, self.url, self.document = lector, f"{server.base}/api/annotations/", document
        self.random = random.Random(1)
        self.length = len(document["text"])

    def session(self):
        return self.lector.token_session()

    def __call__(self, session):
        start = self.random.randrange(0, self.length - 30)
        tag = self.random.choice(support.TAGS)
        body = {"document": self.document["id"], "start": start, "end": start + 10, "tag": tag}
        response = session.post(self.url, json=body)
        assert response.status_code == 201, response.text[:300]


def single_creates(lector: support.Lector, server: support.Server) -> None:
    document = lector.document("Sample report", support.sample_text())
    for clients in (1, 8):
        each = CREATES_PER_CLIENT[clients]
        ping_p50, ping_p95, ping_rate = clients_round(clients, each, Ping(lector, server))
        p50, p95, rate = clients_round(clients, each, CreateOne(lector, server, document))
        doccano = DOCCANO[f"create_{clients}_client{'s' if clients > 1 else ''}"]
        who = f"{clients} client{'s' if clients > 1 else ''}"
        support.record(
            f"one span created, 4.5 KB document, {who}: p50 round trip",
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            f"no-op view p50 {ping_p50:.1f} ms, p95 {ping_p95:.1f} ms",
            p50 / ping_p50,
            "<= 2x the no-op view",
            p50 <= 2 * ping_p50,
        )
        support.record(
            f"one span created, 4.5 KB document, {who}: creates/s",
            f"{rate:.0f}/s",
            f"doccano {doccano['creates_per_s']}/s (recorded {DOCCANO['date'][:10]}); no-op view {ping_rate:.0f}/s",
            rate / doccano["creates_per_s"],
            ">= 2x doccano",
            rate >= 2 * doccano["creates_per_s"],
        )


def main():
    with support.gunicorn() as server:
        lector = support.Lector(server.base)
        bulk(lector, server)
    with support.gunicorn() as server:  # fresh workers: the creates should not inherit the bulk's memory
        single_creates(support.Lector(server.base), server)


if __name__ == "__main__":
    main()
