from django.apps import AppConfig


class QuantitiesConfig(AppConfig):
    name = "apps.quantities"
    label = "quantities"

    def ready(self) -> None:
        from apps.annotations.normalizers import register
        from apps.quantities.normalizer import QuantityNormalizer

        register("quantity", QuantityNormalizer())
