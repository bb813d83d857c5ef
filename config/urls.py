from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.api import PingView, TokenView
from apps.annotations.api.views import AnnotationImportView
from apps.documents import urls as document_urls
from apps.quantities.api.views import NormalizeQuantityView
from apps.reader import urls as reader_urls

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/ping/", PingView.as_view(), name="api-ping"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("api/import/annotations/", AnnotationImportView.as_view(), name="api-import-annotations"),
    path("", include("apps.events.urls")),
    path("api/normalize/quantity/", NormalizeQuantityView.as_view(), name="api-normalize-quantity"),
    path("api/", include("config.api_router")),
    path("", include("apps.exports.urls")),
    path("", include("apps.agreement.urls")),
    path("", include("apps.curation.urls")),
    path("", include("apps.quantities.urls")),
    path("", include("apps.suggestions.urls")),
    path("", include("apps.projects.urls")),
    path("", include("apps.actors.urls")),
    path("", include("apps.places.urls")),
    path("", include(([*document_urls.urlpatterns, *reader_urls.page_patterns], "documents"))),
    path("", include((reader_urls.htmx_patterns, "annotations"))),
    path("", include("apps.annotations.history_urls")),
    path("", include("apps.live.urls")),
]
