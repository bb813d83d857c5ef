"""Request-level middleware: guards that apply to every page and endpoint (before anything reads the request body),
and compression."""

import gzip
import secrets

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# zlib's fastest level: a 2.5 MB reading view compresses ~3.5x faster than at Django's level 6, to a body ~1.3x
# larger (measured: README, Design): on a page built in tens of milliseconds the compression time is what shows.
COMPRESS_LEVEL = 1


def compress(content: bytes, *, max_random_bytes: int) -> bytes:
    """gzip at COMPRESS_LEVEL, with Django's BREACH mitigation: a random-length random file name in the header, so
    the compressed length of a page does not give its secrets away."""
    compressed = memoryview(gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0))
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = secrets.token_hex(secrets.randbelow(max_random_bytes) // 2 + 1).encode() + b"\x00"
    return bytes(header) + name + compressed[10:]


class GZipWholeResponsesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, compressing faster, for pages, htmx partials and API answers, which are built whole.

    Streaming responses pass through as they are: they are the exports (and WhiteNoise's files, compressed ahead of
    time), whose throughput on a busy worker matters more than their transfer size; brat's zip is compressed already.
    """

    def process_response(self, request, response):
        if response.streaming or len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = compress(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


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


class RejectNullCharactersMiddleware:
    """Answer 400, naming the parameter, when a query string key or value holds a NUL character.

    PostgreSQL cannot store or compare NUL in text, and psycopg2 raises on it, so such a value would otherwise become
    a 500 wherever a view forgets to validate it. Form and JSON fields are checked by Django's and DRF's CharField
    (ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in value for value in values):
                name = key.replace(NUL, "\\x00")
                if request.path.startswith("/api/"):
                    return JsonResponse({name: [NUL_MESSAGE]}, status=400)
                return HttpResponseBadRequest(f"{name}: {NUL_MESSAGE}", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
