from django.urls import path

from apps.exports import views

app_name = "exports"
urlpatterns = [path("api/export/", views.ExportView.as_view(), name="export")]
