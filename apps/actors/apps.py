from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "apps.actors"
    label = "actors"

    def ready(self):
        from apps.actors.normalizer import ActorNormalizer
        from apps.annotations.normalizers import register
        from apps.projects.models import TagKind

        register(TagKind.ACTOR, ActorNormalizer())
