from django.urls import path

from apps.quantities import views

app_name = "quantities"

urlpatterns = [
    path("projects/<int:project_id>/quantities/", views.vague_table_page, name="vague-table"),
    path(
        "projects/<int:project_id>/quantities/<int:row_id>/delete/",
        views.vague_magnitude_delete,
        name="vague-magnitude-delete",
    ),
    path("annotations/<int:annotation_id>/quantity/", views.quantity_correct_hx, name="correct"),
]
