"""How long resolving location quotes takes against the whole GeoNames gazetteer (loaded first when missing, timed):
one quote as a create resolves it, and a hundred at once."""

import os
import statistics
import sys
import time
from pathlib import Path

import django
from django.core.management import call_command

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from apps.places.gazetteer import geonames_load  # noqa: E402
from apps.places.models import Place, PlaceSource  # noqa: E402
from apps.places.normalizer import PlaceNormalizer  # noqa: E402
from apps.projects.models import Project  # noqa: E402

QUOTES = ["Baghuz", "Hajin", "Syria", "Raqqa", "Deir ez-Zor", "al-Bukamal", "Damascus", "Mosul", "nowhere", "Aleppo"]
ROUNDS = 200


def main() -> None:
    if not Place.objects.filter(source=PlaceSource.GEONAMES).exists():
        began = time.perf_counter()
        count = geonames_load()
        print(f"loaded {count} GeoNames places in {time.perf_counter() - began:.1f} s")
    if not Project.objects.exists():
        call_command("seed_demo")
    project = Project.objects.order_by("id").first()
    normalizer = PlaceNormalizer()
    timings = []
    for round_ in range(ROUNDS):
        began = time.perf_counter()
        normalizer.read_many(project.pk, [QUOTES[round_ % len(QUOTES)]])
        timings.append((time.perf_counter() - began) * 1000)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"one quote: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms (goal: <= 10 ms)")
    began = time.perf_counter()
    normalizer.read_many(project.pk, QUOTES * 10)
    print(f"100 quotes at once: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
