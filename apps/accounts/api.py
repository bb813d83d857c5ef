from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


@method_decorator(login_not_required, name="dispatch")
class TokenView(ObtainAuthToken):
    """POST {"username", "password"} to get {"token"}; send it as `Authorization: Token <key>`. DELETE revokes the
    caller's token (the next POST makes a new one).

    Throttled per client (TOKEN_THROTTLE_RATE) against password guessing."""

    throttle_classes = [ScopedRateThrottle]  # ObtainAuthToken turns throttling off
    throttle_scope = "token"

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else super().get_permissions()

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PingSerializer(serializers.Serializer):
    user = serializers.CharField()


class PingView(APIView):
    """Who you are authenticated as, and nothing else: a health check for scripts, and the floor of an API round trip
    (authentication only, no other query) that `make bench` compares the other endpoints with. A POST's body is read
    but never parsed: the floor of sending the same bytes as a write."""

    @extend_schema(responses=PingSerializer)
    def get(self, request):
        return Response({"user": request.user.get_username()})

    @extend_schema(request=None, responses=PingSerializer)
    def post(self, request):
        # Read, as every write does (with the same 10 MB cap): gunicorn closes a kept-alive connection whose request
        # left bytes unread, so a floor that skipped them would measure reconnections.
        request.body  # noqa: B018
        return self.get(request)
