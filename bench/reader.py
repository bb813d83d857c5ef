"""Reading-view figures on a 1 MB document with 20,000 annotations.

Measures (1) the server render time and query count of the reading view, in-process, against the annotation
count; (2) in Debian's Chromium against gunicorn with production settings, the time from navigation until the
highlights are painted; (3) the round trip of tagging one more span, from the key press to the new highlight
painted, over 50 tags. Run with `make bench` (or `.venv/bin/python bench/reader.py` with DATABASE_URL set).
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import free_port, percentile, setup_django, start_gunicorn  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.annotations.models import Annotation  # noqa: E402
from apps.documents.services import document_create  # noqa: E402
from apps.projects.services import project_create  # noqa: E402

WORDS = [
    "the",
    "SDF",
    "said",
    "fighters",
    "surrendered",
    "near",
    "Baghuz",
    "on",
    "Tuesday",
    "while",
    "coalition",
    "aircraft",
    "struck",
    "positions",
    "about",
    "3,000",
    "people",
    "left",
    "the",
    "enclave",
    "and",
    "officials",
    "expected",
    "a",
    "difficult",
    "battle",
    "in",
    "the",
    "last",
    "shred",
    "of",
    "territory",
]
TARGET_BYTES = 1_000_000
ANNOTATIONS = 20_000
TAGS = 50


def make_text(rng):
    paragraphs, size = [], 0
    while size < TARGET_BYTES:
        words = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


@transaction.atomic
def make_document(rng):
    user = User.objects.create_user(f"bench-{int(time.time())}", password="bench-password-1")
    project = project_create(name="Benchmark", owner=user)
    document = document_create(project=project, user=user, title="Benchmark document", text=make_text(rng))
    text = document.text
    tags = list(project.tags.all())
    spans = set()
    while len(spans) < ANNOTATIONS:
        start = rng.randrange(0, len(text) - 60)
        while start > 0 and text[start - 1] != " ":
            start -= 1
        end = text.find(" ", start + rng.randint(3, 40))
        if end == -1 or "\n" in text[start:end] or start >= end:
            continue
        spans.add((start, end))
    Annotation.objects.bulk_create(
        (
            Annotation(document=document, tag=rng.choice(tags), start=s, end=e, quote=text[s:e], annotator=user)
            for s, e in spans
        ),
        batch_size=5000,
    )
    return user, project, document


def server_render(user, document, runs=7):
    client = Client()
    client.force_login(user)
    url = f"/documents/{document.pk}/"
    client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    return statistics.median(times), len(queries.captured_queries), len(response.content)


PAINTED = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() =>
    resolve(performance.now()))))"""

TAG_ROUND_TRIP = """(index) => { window.__roundTrip = new Promise(resolve => {
    // Select the first word of the index-th paragraph, as a reader would, and wait for its new highlight.
    const root = document.getElementById('document-text');
    const block = root.querySelectorAll('.block')[index];
    block.scrollIntoView({block: 'center'});
    const node = block.firstChild.nodeType === Node.TEXT_NODE ? block.firstChild : block.firstChild.firstChild;
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, Math.max(1, node.data.indexOf(' ')));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    const observer = new MutationObserver(() => {
        const fresh = document.getElementById(block.id);
        if (fresh && fresh !== block) {
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - window.__pressed)));
        }
    });
    observer.observe(root, {childList: true, subtree: true});
    const pressed = () => { window.__pressed = performance.now(); };
    document.addEventListener('keydown', pressed, {once: true, capture: true});
}); }"""


def browser_figures(user, document):
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_gunicorn(port, "-w", "2", "--threads", "2")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
            page = context.new_page()
            paint_times = []
            for _ in range(5):
                page.goto(f"{base}/documents/{document.pk}/", wait_until="commit")
                page.wait_for_selector("#document-text mark", state="attached")
                page.wait_for_load_state("load")
                painted_at = page.evaluate(PAINTED)
                paint_times.append(painted_at)
            rounds = []
            page.set_default_timeout(20_000)
            for index in range(TAGS):
                page.evaluate(TAG_ROUND_TRIP, index)
                page.wait_for_selector("#tag-menu:not([hidden])")
                page.keyboard.press("q")
                rounds.append(page.evaluate("window.__roundTrip"))
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return statistics.median(paint_times), rounds


def main():
    rng = random.Random(20190312)
    started = time.perf_counter()
    user, project, document = make_document(rng)
    print(
        f"setup: {len(document.text.encode()) / 1e6:.2f} MB text, {len(document.text):,} code points, "
        f"{document.annotations.count():,} annotations ({time.perf_counter() - started:.1f} s)"
    )
    try:
        for label, keep in (("no annotations", 0), ("20,000 annotations", ANNOTATIONS)):
            if keep == 0:
                saved = list(Annotation.objects.filter(document=document).values_list("id", flat=True))
                with transaction.atomic():
                    sid = transaction.savepoint()
                    Annotation.objects.filter(document=document).delete()
                    render_ms, queries, size = server_render(user, document)
                    transaction.savepoint_rollback(sid)
                    transaction.set_rollback(True)
                assert len(saved) == ANNOTATIONS
            else:
                render_ms, queries, size = server_render(user, document)
            print(
                f"reading view, {label}: server render p50 {render_ms:.0f} ms, {queries} queries, "
                f"{size / 1e6:.1f} MB HTML"
            )
        paint_ms, rounds = browser_figures(user, document)
        print(f"chromium: navigation to highlights painted p50 {paint_ms:.0f} ms")
        print(
            f"tag one more span (key press to highlight painted), {len(rounds)} tags: "
            f"p50 {percentile(rounds, 0.5):.0f} ms, p95 {percentile(rounds, 0.95):.0f} ms"
        )
    finally:
        project.delete()
        user.delete()


if __name__ == "__main__":
    main()
