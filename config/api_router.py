from rest_framework.routers import DefaultRouter

from apps.annotations.api.views import AnnotationViewSet
from apps.documents.api.imports import ImportBatchViewSet
from apps.documents.api.views import DocumentViewSet
from apps.projects.api.views import ProjectViewSet, TagViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("tags", TagViewSet, basename="tag")
router.register("documents", DocumentViewSet, basename="document")
router.register("imports", ImportBatchViewSet, basename="import-batch")
router.register("annotations", AnnotationViewSet, basename="annotation")

urlpatterns = router.urls
