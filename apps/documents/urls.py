from django.urls import path

from apps.documents import views

# The reading page (`documents:read`) lives in apps/reader, mounted in this namespace by config/urls.py.
app_name = "documents"
urlpatterns = [
    path("projects/<int:project_id>/documents/", views.document_list_page, name="list"),
    path("projects/<int:project_id>/import/", views.document_import_page, name="import"),
    path("imports/<int:batch_id>/", views.import_batch_page, name="import-batch"),
    path("imports/<int:batch_id>/resume/", views.import_batch_resume, name="import-batch-resume"),
    path("documents/<int:document_id>/edit/", views.document_edit_page, name="edit"),
    path("documents/<int:document_id>/delete/", views.document_delete, name="delete"),
]
