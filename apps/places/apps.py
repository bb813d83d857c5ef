from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "apps.places"
    label = "places"

    def ready(self):
        from apps.annotations.normalizers import register
        from apps.places.normalizer import PlaceNormalizer

        register("place", PlaceNormalizer())
