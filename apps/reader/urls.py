"""The reading view's URLs. Their names are older than this app and reversed across the project: the page is
`documents:read` and its htmx endpoints are `annotations:*`, so config/urls.py mounts these two lists under those
namespaces."""

from django.urls import path

from apps.reader import views

page_patterns = [path("documents/<int:document_id>/", views.document_read_page, name="read")]

htmx_patterns = [
    path("documents/<int:document_id>/annotations/", views.annotation_create_hx, name="create"),
    path("documents/<int:document_id>/annotations/details/", views.annotation_details_hx, name="details"),
    path("documents/<int:document_id>/annotations/panel/", views.annotation_panel_hx, name="panel"),
    path("documents/<int:document_id>/highlights/", views.document_text_hx, name="refresh"),
    path("annotations/<int:annotation_id>/", views.annotation_update_hx, name="update"),
    path("annotations/<int:annotation_id>/restore/", views.annotation_restore_hx, name="restore"),
    path("annotations/<int:annotation_id>/delete/", views.annotation_delete_hx, name="delete"),
    path("annotations/<int:annotation_id>/occurrences/", views.annotation_occurrences_hx, name="occurrences"),
]
