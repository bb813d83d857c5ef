"""Request-level guards that must run before anything reads the request body."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat


class RequestSizeLimitMiddleware:
    """Refuse a request whose Content-Length is over LECTOR_MAX_REQUEST_BYTES with 413, before its body is read.

    Django caps form and JSON bodies (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk whatever
    their size; this bounds what an upload may cost the server before any per-file check can run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.LECTOR_MAX_REQUEST_BYTES
        if length > limit:
            message = f"The request is {filesizeformat(length)}; the limit is {filesizeformat(limit)} a request."
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [message]}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
