"""How gunicorn.conf.py's workers and threads were chosen: the same workloads under each candidate, one at a time.

Run on the bench database after `bench/support.py begin` (the big document and its spans are posted on first use),
e.g. `DATABASE_URL="$(bash scripts/pg.sh url)" BENCH_SCALE=0.25 .venv/bin/python scripts/gunicorn_choice.py`.
Workloads: one span created at a time with 1 and 8 clients (bench/writes.py's), and the reading view of the bench's
big document with 1 and 4 clients. Prints one line per candidate.
"""

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import support  # noqa: E402
from writes import CreateOne, clients_round  # noqa: E402

CANDIDATES = [(3, 1), (2, 4), (3, 2), (3, 4), (4, 2), (2, 8)]  # (workers, threads)
ROUNDS = int(os.environ.get("ROUNDS", "3"))  # interleaved: a neighbour's burst of load hits one round, not a candidate


class ReadPage:
    def __init__(self, lector, server, path):
        self.lector, self.url = lector, server.base + path

    def session(self):
        return self.lector.browser_session()

    def __call__(self, session):
        assert session.get(self.url).status_code == 200


def measure(workers: int, threads: int) -> dict:
    with support.gunicorn(WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads)) as server:
        lector = support.Lector(server.base)
        sample = lector.document("Sample report", support.sample_text())
        big = support.spanned_document(lector)
        create = CreateOne(lector, server, sample)
        read = ReadPage(lector, server, big["reader_url"].removeprefix(server.base))
        c1, c8 = clients_round(1, 100, create), clients_round(8, 25, create)
        r1, r4 = clients_round(1, 5, read), clients_round(4, 5, read)
        return {
            "create 1: /s": c1[2], "create 1: p50 ms": c1[0], "create 8: /s": c8[2], "create 8: p50 ms": c8[0],
            "create 8: p95 ms": c8[1], "read 1: p50 ms": r1[0], "read 4: pages/s": r4[2], "read 4: p50 ms": r4[0],
            "worker VmHWM MB": statistics.mean(server.worker_peak_mb()),
        }  # fmt: skip


def main():
    results = {candidate: [] for candidate in CANDIDATES}
    for round_number in range(ROUNDS):
        for workers, threads in CANDIDATES:
            figures = measure(workers, threads)
            results[workers, threads].append(figures)
            print(f"round {round_number + 1}, {workers} x {threads}: "
                  + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)  # fmt: skip
    names = list(next(iter(results.values()))[0])
    print(f"\nbest of {ROUNDS} rounds (most /s, least ms and MB: the round least disturbed by other load)")
    print("| workers x threads | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for (workers, threads), rounds in results.items():
        best = [(max if name.endswith("/s") else min)(r[name] for r in rounds) for name in names]
        kind = "sync" if threads == 1 else "gthread"
        cells = " | ".join(f"{v:.0f}" if v >= 10 else f"{v:.1f}" for v in best)
        print(f"| {workers} x {threads} {kind} | {cells} |")


if __name__ == "__main__":
    main()
