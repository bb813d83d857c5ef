from django.middleware.gzip import GZipMiddleware


class GZipWholeResponsesMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH mitigation) for pages, htmx partials and API answers, which are built whole.

    Streaming responses pass through as they are: they are the exports (and WhiteNoise's files, compressed ahead of
    time), whose throughput on a busy worker matters more than their transfer size; brat's zip is compressed already.
    """

    def process_response(self, request, response):
        if response.streaming:
            return response
        return super().process_response(request, response)
