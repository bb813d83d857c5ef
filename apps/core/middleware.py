import gzip
import secrets

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

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
