"""What a request says about who sent it, read the same way everywhere (rate limits, sign-in
lockouts)."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def client_address(request):
    """The visitor's address. Behind TRUSTED_PROXY_COUNT reverse proxies that each append
    the address they saw to X-Forwarded-For, it is the one the outermost of them saw (an
    entry further left could be made up by the visitor); with none, REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request, purpose):
    """A key for counting this client's requests for `purpose` without storing its address:
    a hash salted with SECRET_KEY, so it cannot be matched to an address without it."""
    return salted_hmac(purpose, client_address(request), algorithm="sha256").hexdigest()
