from django.urls import path

from apps.events import views
from apps.events.api.views import EventExportView, TypologyView

app_name = "events"
urlpatterns = [
    path("api/export/events/", EventExportView.as_view(), name="export"),
    path("api/projects/<int:project_id>/event-types/", TypologyView.as_view(), name="typology"),
    path("projects/<int:project_id>/events/", views.events_page, name="list"),
    path("projects/<int:project_id>/event-types/", views.typology_page, name="types"),
    path("documents/<int:document_id>/events/", views.event_panel_hx, name="panel"),
    path("documents/<int:document_id>/events/form/", views.event_form_hx, name="form"),
    path("documents/<int:document_id>/events/create/", views.event_create_hx, name="create"),
    path("events/<int:event_id>/delete/", views.event_delete_hx, name="delete"),
]
