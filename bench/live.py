"""Live updates (issue 14): READERS open streams of one document, one writer tags through the API.

The main server runs the README's production command (support.gunicorn()), the live server its own
(LIVE_COMMAND, gunicorn_live.conf.py: uvicorn's worker on config.asgi). Each reader is a thread holding a
server-sent-events stream with a logged-in session, as the reading view's EventSource does.

(a) Latency: the writer creates WRITES spans one after another (POST /api/annotations/, a pause between them);
    for each write and each reader, the time from the write's response to that reader receiving its `change` event.
    p50/p95 over all of them. Floor: the write's own round trip. Goal: p95 <= 1 s.
(b) Memory: the live server's workers' resident memory (VmRSS) with READERS streams open minus before they were
    opened (after one stream had been opened and closed, so the listener and the code are loaded), per stream.
"""

import contextlib
import json
import random
import re
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import support  # noqa: E402

READERS = support.scaled(50)
WRITES = support.scaled(20)
PAUSE_S = 0.2
# The live server's command, as in the README ("Live updates").
LIVE_COMMAND = "gunicorn -c gunicorn_live.conf.py"


@contextlib.contextmanager
def live_server():
    port = support.free_port()
    command = shlex.split(LIVE_COMMAND)
    command[0] = str(Path(sys.executable).with_name(command[0]))
    process = subprocess.Popen(command, cwd=support.ROOT, env=support.production_env(LIVE_PORT=str(port)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    server = support.Server(f"http://127.0.0.1:{port}", process)
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError("the live server exited at start-up")
            with contextlib.suppress(requests.RequestException):
                requests.get(server.base + "/accounts/login/", timeout=5)
                break
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait()


def resident_mb(server: support.Server) -> float:
    total = 0
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
    return total / 1024


class Reader(threading.Thread):
    """One open stream; records when each `change` event naming an annotation arrives."""

    def __init__(self, url: str, cookies):
        super().__init__(daemon=True)
        self.url, self.cookies = url, cookies
        self.opened = threading.Event()
        self.received: dict[int, float] = {}
        self.response = None

    def run(self):
        self.response = requests.get(self.url, cookies=self.cookies, stream=True, timeout=60)
        assert self.response.status_code == 200, self.response.status_code
        event = None
        with contextlib.suppress(requests.RequestException, AttributeError):
            for line in self.response.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "presence":
                    self.opened.set()
                elif line.startswith("data: ") and event == "change":
                    for annotation_id in json.loads(line[6:])["ids"] or ():
                        self.received.setdefault(annotation_id, time.perf_counter())

    def close(self):
        with contextlib.suppress(Exception):
            self.response.close()


def main():
    with support.gunicorn() as server, live_server() as live:
        lector = support.Lector(server.base)
        document = lector.document("Sample report", support.sample_text())
        cookies = lector.browser_session().cookies
        url = f"{live.base}/live/documents/{document['id']}/events/"

        warm = Reader(url, cookies)
        warm.start()
        assert warm.opened.wait(30), "no first event"
        warm.close()
        time.sleep(1)
        before = resident_mb(live)

        readers = [Reader(url, cookies) for _ in range(READERS)]
        for reader in readers:
            reader.start()
        for reader in readers:
            assert reader.opened.wait(60), "a stream did not open"
        time.sleep(1)
        with_streams = resident_mb(live)

        writer = lector.token_session()
        rng = random.Random(1)
        answered: dict[int, float] = {}
        round_trips = []
        for index in range(WRITES):
            start = rng.randrange(0, len(document["text"]) - 30)
            body = {"document": document["id"], "start": start, "end": start + 10, "tag": support.TAGS[index % 3]}
            began = time.perf_counter()
            response = writer.post(f"{server.base}/api/annotations/", json=body)
            answered[response.json()["id"]] = time.perf_counter()
            assert response.status_code == 201, response.text[:300]
            round_trips.append((answered[response.json()["id"]] - began) * 1000)
            time.sleep(PAUSE_S)
        time.sleep(2)  # the last events
        for reader in readers:
            reader.close()

    delays = [
        (reader.received[annotation_id] - at) * 1000 if annotation_id in reader.received else float("inf")
        for reader in readers
        for annotation_id, at in answered.items()
    ]
    missed = sum(delay == float("inf") for delay in delays)
    p50, p95 = support.percentile(delays, 0.5), support.percentile(delays, 0.95)
    support.record(
        f"{READERS} open readers of one document, one writer ({WRITES} creates): write's response to each event",
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms; {missed} of {len(delays)} missed",
        f"the write's round trip p50 {support.percentile(round_trips, 0.5):.1f} ms",
        None,
        "p95 <= 1 s, none missed",
        p95 <= 1000 and missed == 0,
    )
    per_stream_kb = (with_streams - before) * 1024 / READERS
    support.record(
        "  the same: live server memory per open stream (VmRSS)",
        f"{per_stream_kb:.0f} KB ({with_streams:.0f} MB with {READERS} open)",
        f"{before:.0f} MB with none open",
        None,
        "stated in the README",
        None,
    )


if __name__ == "__main__":
    main()
