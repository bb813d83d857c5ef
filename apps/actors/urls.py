from django.urls import path

from apps.actors import views

app_name = "actors"
urlpatterns = [
    path("projects/<int:project_id>/actors/", views.register_page, name="register"),
    path("actors/<int:entity_id>/", views.entity_page, name="entity"),
    path("actors/<int:entity_id>/merge/", views.entity_merge_view, name="merge"),
    path("actors/<int:entity_id>/delete/", views.entity_delete_view, name="delete"),
    path("annotations/<int:annotation_id>/entity/", views.annotation_entity_hx, name="annotation-entity"),
    path(
        "annotations/<int:annotation_id>/entity/choices/", views.annotation_entity_choices_hx, name="annotation-choices"
    ),
    path("annotations/<int:annotation_id>/entity/alias/", views.annotation_alias_hx, name="annotation-alias"),
]
