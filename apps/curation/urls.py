from django.urls import path

from apps.curation import api, views

app_name = "curation"
urlpatterns = [
    path("documents/<int:document_id>/curation/", views.curation_page, name="page"),
    path("documents/<int:document_id>/curation/decide/", views.curation_decide_hx, name="decide"),
    path("documents/<int:document_id>/curation/decide-event/", views.curation_decide_event_hx, name="decide-event"),
    path("documents/<int:document_id>/curation/merge/", views.curation_merge_hx, name="merge"),
    path("api/curation/merge/", api.MergeView.as_view(), name="api-merge"),
    path("api/curation/decide/", api.DecideView.as_view(), name="api-decide"),
    path("api/curation/decide-event/", api.DecideEventView.as_view(), name="api-decide-event"),
]
