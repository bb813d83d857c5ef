"""Who is calling: one rule for the client's address, shared by DRF's throttles and django-axes."""

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or with LECTOR_TRUSTED_PROXIES=N the address that the N-th proxy from us
    put in X-Forwarded-For (REST_FRAMEWORK["NUM_PROXIES"]). Entries a client wrote itself further left are ignored,
    so a forged header neither dodges a throttle nor locks anyone else out."""
    return BaseThrottle().get_ident(request)
