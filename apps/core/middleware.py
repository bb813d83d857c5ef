"""Request guards that apply to every page and endpoint."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."


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
