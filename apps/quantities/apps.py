from django.apps import AppConfig


class QuantitiesConfig(AppConfig):
    name = "apps.quantities"
    label = "quantities"
