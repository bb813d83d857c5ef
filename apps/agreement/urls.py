from django.urls import path

from apps.agreement import api, views

app_name = "agreement"
urlpatterns = [
    path("projects/<int:project_id>/agreement/", views.agreement_page, name="page"),
    path("api/agreement/", api.AgreementView.as_view(), name="api"),
]
