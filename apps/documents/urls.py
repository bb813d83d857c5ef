from django.urls import path

from apps.documents import views

# The reading page (`documents:read`) lives in apps/reader, mounted in this namespace by config/urls.py.
app_name = "documents"
urlpatterns = [
    path("projects/<int:project_id>/documents/", views.document_list_page, name="list"),
    path("projects/<int:project_id>/import/", views.document_import_page, name="import"),
    path("documents/<int:document_id>/edit/", views.document_edit_page, name="edit"),
    path("documents/<int:document_id>/delete/", views.document_delete, name="delete"),
]
