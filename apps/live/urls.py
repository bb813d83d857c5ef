"""Live updates' URLs. The stream is under /live/ so that a reverse proxy can send that one prefix to the ASGI server
(gunicorn_live.conf.py) and everything else to the WSGI one."""

from django.urls import path

from apps.live import views

app_name = "live"

urlpatterns = [
    path("live/documents/<int:document_id>/events/", views.document_events, name="events"),
    path("documents/<int:document_id>/changes/", views.document_changes_hx, name="changes"),
]
