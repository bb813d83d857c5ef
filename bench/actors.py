"""What linking actor spans to the register adds to a create (issue 11: <= 10 ms at p95).

A register of 1,000 entities with 3 aliases each is added through POST /api/entities/ (against gunicorn with the
production settings); then, in this process on the bench database, the actor normalizer that every create of an
actor span calls reads one quote, CALLS times (half of them names the register has, half not): its p95, against the
floor of a `SELECT 1` round trip on the same connection.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import support  # noqa: E402

ENTITIES = support.scaled(1_000)
CALLS = support.scaled(300)
PROJECT = "Actors benchmark"


def fill(lector: support.Lector) -> int:
    project_id = lector.project(PROJECT)["id"]
    url = f"{lector.base}/api/entities/"
    if lector.api.get(url, params={"project": project_id, "page_size": 1}).json()["count"] < ENTITIES:
        for number in range(ENTITIES):
            body = {"project": project_id, "name": f"Brigade {number}", "type": "rebel_groups",
                    "aliases": [f"B{number}", f"the {number}th brigade", f"Liwa {number}"]}  # fmt: skip
            response = lector.api.post(url, json=body)
            assert response.status_code in (201, 400), response.text[:300]  # 400: there from an earlier run
    return project_id


def timed(call) -> list[float]:
    times = []
    for _ in range(CALLS):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def main():
    with support.gunicorn() as server:
        project_id = fill(support.Lector(server.base))
    support.setup_django()
    from django.db import connection

    from apps.actors.normalizer import ActorNormalizer

    normalizer, chosen = ActorNormalizer(), random.Random(3)

    def read_one():
        number = chosen.randrange(ENTITIES)
        quote = chosen.choice([f"B{number}", f"Liwa {number}", f"{number} fighters"])
        normalizer.read_many(project_id, [quote])

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    select_one(), read_one()  # connect, and import what the first call needs
    floor, reads = timed(select_one), timed(read_one)
    p95, floor_p95 = support.percentile(reads, 0.95), support.percentile(floor, 0.95)
    support.record(
        f"actor span linked on create, register of {ENTITIES:,} entities x 4 names: added time",
        f"p50 {support.percentile(reads, 0.5):.2f} ms, p95 {p95:.2f} ms",
        f"SELECT 1 p95 {floor_p95:.2f} ms",
        p95 / floor_p95,
        "<= 10 ms at p95",
        p95 <= 10,
    )


if __name__ == "__main__":
    main()
