"""Writes through the API, against gunicorn with the production settings (issue 9, rows 1 and 2).

(a) SPANS spans posted to POST /api/annotations/bulk/ in requests of 1,000 on the 1 MB document: total seconds and
    each worker's peak resident memory (VmHWM). Floor: the same request bodies posted to the authenticated no-op view
    (POST /api/ping/ ignores its body), on the same server just before: what HTTP, authentication and the bytes cost.
(b) One span created at a time on the 4.5 KB sample document, 1 client and 8 clients over keep-alive connections:
    creates/s, p50/p95. Floors: the no-op view's round trip (GET /api/ping/) with the same clients in the same run,
    and doccano 1.8.4's figures for the same work, recorded once in bench/doccano.json (doccano is not part of a
    clone, so it cannot run here).
(c) Normalising on create: single creates on the sample with a quantity-, place- and actor-kind tag against a
    plain-kind tag (made through the tag form), taken in turn by one client so that load drifts alike on each: the
    p95 each kind adds (goal <= 10 ms). Quantity spans are the sample's quantity phrases; the others 10-character
    spans at random places, the same for every kind. Whatever normalizers are registered are measured.
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
CREATES_PER_KIND = support.scaled(100)
PLAIN_TAG = "event"
# The kinds measured, by the default tag of each (the plain tag is the floor).
KIND_TAGS = {"quantity": "quantity", "place": "location", "actor": "actor", "plain": PLAIN_TAG}
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


def plain_tag(lector: support.Lector) -> None:
    """The bench project's plain tag, added through the Tags form the first time."""
    project = lector.project()
    if any(tag["slug"] == PLAIN_TAG for tag in project["tags"]):
        return
    session = lector.browser_session()
    url = f"{lector.base}/projects/{project['id']}/tags/"
    form = {"slug": PLAIN_TAG, "label": "Event", "color": "#888888", "shortcut": "", "kind": "plain"}
    response = session.post(
        url,
        data={**form, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]


def quantity_spans(text: str) -> list[tuple[int, int]]:
    """The sample's quantity phrases ("more than 20,000 civilians"), found as the suggestions do."""
    sys.path.insert(0, str(support.ROOT))
    from apps.quantities.grammar import find_quantities

    return find_quantities(text)


def normalising_on_create(lector: support.Lector, server: support.Server) -> None:
    plain_tag(lector)
    document = lector.document("Sample report", support.sample_text())
    url, session = f"{server.base}/api/annotations/", lector.token_session()
    phrases = quantity_spans(document["text"])
    chance = random.Random(2)
    latencies: dict[str, list[float]] = {kind: [] for kind in KIND_TAGS}
    for index in range(CREATES_PER_KIND):
        start = chance.randrange(0, len(document["text"]) - 30)
        for kind, tag in KIND_TAGS.items():
            begin, end = phrases[index % len(phrases)] if kind == "quantity" else (start, start + 10)
            body = {"document": document["id"], "start": begin, "end": end, "tag": tag}
            began = time.perf_counter()
            response = session.post(url, json=body)
            latencies[kind].append((time.perf_counter() - began) * 1000)
            assert response.status_code == 201, response.text[:300]
    plain_p95 = support.percentile(latencies["plain"], 0.95)
    for kind in ("quantity", "place", "actor"):
        p95 = support.percentile(latencies[kind], 0.95)
        support.record(
            f"normalising on create: {'an' if kind == 'actor' else 'a'} {kind}-kind tag, 4.5 KB document, 1 client: "
            "p95 added",
            f"{p95 - plain_p95:+.1f} ms (p95 {p95:.1f} ms)",
            f"a plain tag's p95 {plain_p95:.1f} ms ({CREATES_PER_KIND} creates each, in turn)",
            p95 / plain_p95,
            "<= 10 ms added",
            p95 - plain_p95 <= 10,
        )


def main():
    with support.gunicorn() as server:
        lector = support.Lector(server.base)
        bulk(lector, server)
    with support.gunicorn() as server:  # fresh workers: the creates should not inherit the bulk's memory
        single_creates(support.Lector(server.base), server)
        normalising_on_create(support.Lector(server.base), server)


if __name__ == "__main__":
    main()
