from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


@method_decorator(login_not_required, name="dispatch")
class TokenView(ObtainAuthToken):
    """POST {"username", "password"} to get {"token"}; send it as `Authorization: Token <key>`.

    Throttled per client (TOKEN_THROTTLE_RATE) against password guessing."""

    throttle_classes = [ScopedRateThrottle]  # ObtainAuthToken turns throttling off
    throttle_scope = "token"
