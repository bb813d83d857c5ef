from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "apps.suggestions"
    label = "suggestions"
