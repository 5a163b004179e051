"""The pages a subscriber reaches from an email: confirm, unsubscribe (one click, RFC 8058), and
the page after subscribing. None of them is cached: they are about one address."""

from django.core import signing
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from . import services
from .models import Subscription


@method_decorator(never_cache, name="dispatch")
class SentView(TemplateView):
    template_name = "subscriptions/sent.html"


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    def get(self, request, token):
        try:
            pk = Subscription.pk_from_confirm_token(token)
        except signing.SignatureExpired:
            return render(request, "subscriptions/link_problem.html", {"expired": True}, status=410)
        except signing.BadSignature:
            return render(request, "subscriptions/link_problem.html", status=400)
        subscription = services.confirm(pk=pk)
        if subscription is None:
            return render(request, "subscriptions/link_problem.html", {"gone": True}, status=410)
        return render(request, "subscriptions/confirmed.html", {"subscription": subscription})


# Mail programs post the one-click unsubscribe without a page, so without a CSRF token; the
# signed token in the address is what proves the request comes from the subscriber's email.
@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    def dispatch(self, request, token):
        try:
            self.pk = Subscription.pk_from_unsubscribe_token(token)
        except signing.BadSignature:
            return render(request, "subscriptions/link_problem.html", status=400)
        return super().dispatch(request, token)

    def get(self, request, token):
        subscription = Subscription.objects.filter(pk=self.pk).first()
        return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})

    def post(self, request, token):
        services.unsubscribe(pk=self.pk)
        return render(request, "subscriptions/unsubscribed.html")
