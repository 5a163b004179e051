"""The feedback form on each recommendation, its confirmation and its refusal.

The form page carries a CSRF token, personal to each visitor: it is never_cache, so the public
page cache never keeps it. Residents' words are kept out of error reports and logs
(sensitive_post_parameters), and nothing they write appears on any public page.
"""

import math

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from core.translations import active_language
from recommendations.models import Recommendation

from . import ratelimit
from .forms import FeedbackForm
from .services import submit_feedback


class RecommendationMixin:
    """The published recommendation named by the address (plan and code), else a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.recommendation = get_object_or_404(
            Recommendation.objects.published().with_progress().select_related("plan"),
            plan__slug=kwargs["plan"],
            code=kwargs["code"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(recommendation=self.recommendation, **kwargs)


@method_decorator([never_cache, sensitive_post_parameters("message", "email")], name="dispatch")
class FeedbackView(RecommendationMixin, FormView):
    """Errors show the form again (400) with a summary linking each to its field; a message
    sent goes to the thank-you page (post/redirect/get), stored unless the honeypot was
    filled; over the rate limit, a 429 page says when to try again, and nothing is stored."""

    template_name = "feedback/form.html"
    form_class = FeedbackForm

    def post(self, request, *args, **kwargs):
        wait = ratelimit.seconds_to_wait(request)
        if wait:
            return self.refuse(wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        ratelimit.count_message(self.request)
        if not form.is_from_a_program():
            submit_feedback(
                recommendation=self.recommendation,
                message=form.cleaned_data["message"],
                email=form.cleaned_data["email"],
                language=active_language(),
            )
        # The same page either way: a program learns nothing from the answer.
        return redirect("pages:feedback-sent", plan=self.kwargs["plan"], code=self.kwargs["code"])

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, wait):
        context = self.get_context_data(
            form=None, limit=settings.FEEDBACK_RATE_LIMIT, minutes=math.ceil(wait / 60)
        )
        response = self.response_class(
            request=self.request,
            template=["feedback/rate_limited.html"],
            context=context,
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response


class FeedbackSentView(RecommendationMixin, TemplateView):
    """What happens next; the same for every visitor, so the page cache may keep it."""

    template_name = "feedback/sent.html"
