from django.urls import path

from apps.annotations import history_views

app_name = "history"
urlpatterns = [
    path("annotations/<int:annotation_id>/history/", history_views.annotation_history_hx, name="annotation"),
    path(
        "projects/<int:project_id>/annotations/deleted/",
        history_views.project_deleted_annotations_page,
        name="project-deleted",
    ),
    path("documents/<int:document_id>/annotations/deleted/", history_views.deleted_annotations_page, name="deleted"),
    path(
        "documents/<int:document_id>/annotations/deleted/<int:annotation_id>/restore/",
        history_views.annotation_restore_view,
        name="restore",
    ),
]
