from rest_framework.routers import DefaultRouter

from apps.actors.api.views import EntityViewSet
from apps.annotations.api.views import AnnotationViewSet
from apps.documents.api.imports import ImportBatchViewSet
from apps.documents.api.views import DocumentViewSet
from apps.events.api.views import EventViewSet
from apps.places.api.views import PlaceViewSet
from apps.projects.api.views import ProjectViewSet, TagViewSet
from apps.suggestions.api.views import SuggestionViewSet


# No `.json` format-suffix routes: nothing needs them, and the viewsets' extra actions (bulk, history) answered
# them with a 500 (they take no `format` argument).
class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("projects", ProjectViewSet, basename="project")
router.register("tags", TagViewSet, basename="tag")
router.register("documents", DocumentViewSet, basename="document")
router.register("imports", ImportBatchViewSet, basename="import-batch")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("entities", EntityViewSet, basename="entity")
router.register("events", EventViewSet, basename="event")
router.register("places", PlaceViewSet, basename="place")
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = router.urls
