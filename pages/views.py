"""The public pages (the Atom feed and the sitemap are beside this file). Each starts from
`published()` (through `visible_to`, which also lets staff preview unpublished items) and runs a
fixed number of queries whatever the amount of data."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, RedirectView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from core.http import client_key
from core.views import StaffPreviewMixin
from milestones.models import Milestone, upcoming_condition
from pages.feeds import FEED_EXPLAINER
from pages.filters import RecommendationListFilter, TimelineFilter
from plans.models import Plan
from recommendations.filters import RecommendationFilter
from recommendations.models import (
    Progress,
    Recommendation,
    RecordPrecision,
    Status,
    StatusUpdate,
    Topic,
)
from recommendations.trajectory import ProgressChart, monthly_progress, monthly_progress_by_plan
from subscriptions import services as subscription_services
from subscriptions.forms import SubscribeForm

LATEST_UPDATES = 5
# Long enough for Oklahoma City's 39 on one page; a larger portfolio stays light on a phone.
RECOMMENDATIONS_PER_PAGE = 50
NEWEST_MILESTONES = 3
UPCOMING_MILESTONES = 3
# A page of a year of the timeline, and the upcoming milestones shown, at most.
MILESTONES_PER_PAGE = 50
NO_RECOMMENDATIONS = Progress(total=0, started=0, implemented=0)


class RecommendationsPreviewMixin(StaffPreviewMixin):
    """The recommendations and plans this visitor may see (staff: the unpublished ones too)."""

    def recommendations(self):
        return Recommendation.objects.visible_to(self.request.user)

    def plans(self):
        return Plan.objects.visible_to(self.request.user)


def with_topic_progress(topics, recommendations):
    """The topics, each with `.progress` counting its recommendations among the given ones."""
    by_topic = recommendations.progress_by_topic()
    topics = list(topics)
    for topic in topics:
        topic.progress = by_topic.get(topic.pk, NO_RECOMMENDATIONS)
    return topics


def milestone_news(milestones):
    """The newest past milestones and the soonest upcoming ones, split at one `today` so that
    none is in both lists at midnight (see milestones.models.upcoming_condition)."""
    today = timezone.localdate()
    return {
        "milestones": list(milestones.past(today).newest_first()[:NEWEST_MILESTONES]),
        "upcoming_milestones": list(milestones.upcoming(today)[:UPCOMING_MILESTONES]),
    }


def plans_with_progress(plans, topics):
    """The plans, each with its `.topics` and `.progress`: every recommendation has a topic of
    its plan, so the topics' counts add up to the plan's."""
    plans = list(plans)
    for plan in plans:
        plan.topic_list = [topic for topic in topics if topic.plan_id == plan.pk]
        plan.progress = sum((t.progress for t in plan.topic_list), NO_RECOMMENDATIONS)
    return plans


class HomeView(TemplateView):
    """With one published plan, its progress; with several, each plan's counts and bars."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        published = Recommendation.objects.published()
        topics = with_topic_progress(Topic.objects.filter(plan__is_published=True), published)
        plans = plans_with_progress(Plan.objects.published(), topics)
        series = monthly_progress_by_plan(recommendations=published, plans=plans)
        for plan in plans:
            plan.progress_chart = ProgressChart(series[plan.pk])
        latest_updates = list(StatusUpdate.objects.published().newest_first()[:LATEST_UPDATES])
        return super().get_context_data(
            plans=plans,
            plan=plans[0] if len(plans) == 1 else None,
            latest_updates=latest_updates,
            latest_change=latest_updates[0].known_date if latest_updates else None,
            **milestone_news(Milestone.objects.published()),
            **kwargs,
        )


class PlanView(RecommendationsPreviewMixin, DetailView):
    """One plan: its source, counts, topics, latest updates and milestones, and links to its
    list, timeline and report."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return self.plans()

    def get_context_data(self, **kwargs):
        plan = self.object
        published = Recommendation.objects.published().in_plan(plan)
        topics = with_topic_progress(plan.topics.all(), published)
        latest_updates = list(
            StatusUpdate.objects.published()
            .filter(recommendation__plan=plan)
            .newest_first()[:LATEST_UPDATES]
        )
        return super().get_context_data(
            topics=topics,
            progress=sum((topic.progress for topic in topics), NO_RECOMMENDATIONS),
            progress_chart=ProgressChart(
                monthly_progress(recommendations=published, start=plan.received_on)
            ),
            latest_updates=latest_updates,
            latest_change=latest_updates[0].known_date if latest_updates else None,
            # The first page of its list, in the plan's order; the list has them all.
            recommendations=self.recommendations()
            .in_plan(plan)
            .for_public_list()[:RECOMMENDATIONS_PER_PAGE],
            **milestone_news(Milestone.objects.published().filter(plan=plan)),
            **kwargs,
        )


class RecommendationListView(RecommendationsPreviewMixin, FilterView):
    """Strict filtering: an unknown value shows the form's error, no results, and a 400."""

    filterset_class = RecommendationListFilter
    template_name = "recommendations/recommendation_list.html"
    paginate_by = RECOMMENDATIONS_PER_PAGE

    def get_queryset(self):
        return self.recommendations().for_public_list()

    def get_context_data(self, **kwargs):
        # The plan filter's options, read once: they also tell whether to offer the filter.
        field = self.filterset.form.fields["plan"]
        plans = list(field.queryset)
        field.widget.choices = [
            ("", field.empty_label),
            *((plan.slug, field.label_from_instance(plan)) for plan in plans),
        ]
        # The same list as a file: its filters (not its order or page) are the exports' own.
        query = {
            name: value
            for name, value in self.request.GET.items()
            if name in RecommendationFilter.base_filters and value
        }
        return super().get_context_data(
            several_plans=len(plans) > 1,
            applied=self.filterset.described(),
            download_query=urlencode(query),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class RecommendationDetailView(RecommendationsPreviewMixin, DetailView):
    """One recommendation's story: its figures; its status records and linked milestones on one
    timeline, newest first; and how long it spent in each status. The timeline and the band are
    built here from what for_detail_page prefetches, so they cost no query."""

    template_name = "recommendations/recommendation_detail.html"
    # A month as a share of an average Gregorian year, for durations in whole months.
    DAYS_PER_MONTH = 365.2425 / 12

    def get_object(self, queryset=None):
        self.today = timezone.localdate()
        milestones = Milestone.objects.visible_to(self.request.user).annotate(
            is_upcoming=ExpressionWrapper(
                upcoming_condition(self.today), output_field=BooleanField()
            )
        )
        recommendations = self.recommendations().for_detail_page(milestones=milestones)
        return get_object_or_404(
            recommendations, plan__slug=self.kwargs["plan"], code=self.kwargs["code"]
        )

    def get_context_data(self, **kwargs):
        previous, next_ = self.recommendations().neighbours(self.object)
        records = list(self.object.status_updates.all())  # newest first (StatusUpdate.Meta)
        spans = self.time_in_status(records)
        return super().get_context_data(
            previous=previous,
            next=next_,
            story=self.story(records, self.object.milestones.all()),
            time_in_status=spans,
            time_approximate=any(span["approximate"] for span in spans),
            **kwargs,
        )

    @staticmethod
    def story(records, milestones):
        """The status records (newest first) and the milestones in one list, newest first by
        their stored dates (a date known to the month or the year is stored as a day in it); on
        one day the records come first, in their own order. Each entry is {"update": record}
        or {"milestone": milestone}."""
        entries = [(record.effective_date, {"update": record}) for record in records]
        entries += [(milestone.date, {"milestone": milestone}) for milestone in milestones]
        entries.sort(key=lambda entry: entry[0], reverse=True)  # stable: ties keep their order
        return [entry for _, entry in entries]

    def time_in_status(self, records):
        """How long it spent in each status, oldest first: from the first record of a status to
        the next record of another (the last to today), in whole months and as a share of the
        time since the first record (`x` and `width`, percent). A duration is approximate when
        either of its dates is known only to the month or as "by". Time before the first record
        is not shown."""
        oldest_first = records[::-1]
        # The first record of each stay in a status; the next one's first record ends it.
        starts = [
            record
            for before, record in zip([None, *oldest_first], oldest_first, strict=False)
            if before is None or before.status_id != record.status_id
        ]
        if not starts:
            return []
        first = starts[0].effective_date
        whole = max((self.today - first).days, 1)
        spans = []
        for start, end in zip(starts, [*starts[1:], None], strict=True):
            until = end.effective_date if end else self.today
            days = max((until - start.effective_date).days, 0)
            x = min(100 * (start.effective_date - first).days / whole, 100)
            spans.append(
                {
                    "status": start.status,
                    "months": round(days / self.DAYS_PER_MONTH),
                    "approximate": any(
                        r.date_precision != RecordPrecision.DAY for r in (start, end) if r
                    ),
                    # A stay that ends "by" a date may have been shorter; one that begins "by" a
                    # date may have been longer.
                    "bound": _duration_bound(start, end),
                    "x": round(x, 2),
                    # The last runs to the end of the band, so rounding leaves no gap.
                    "width": round(min(100 * days / whole, 100 - x) if end else 100 - x, 2),
                }
            )
        return spans


def _duration_bound(start, end):
    starts_by = start.date_precision == RecordPrecision.BY
    ends_by = end is not None and end.date_precision == RecordPrecision.BY
    if ends_by and not starts_by:
        return "at-most"
    if starts_by and not ends_by:
        return "at-least"
    return None


class MainPlanRedirect(RedirectView):
    """The addresses from before there were plans (/recommendations/12/) lead, permanently, to
    the recommendation of that code in the first plan, so no link residents shared breaks."""

    permanent = True
    query_string = True

    def get_redirect_url(self, *args, **kwargs):
        plan = Plan.objects.published().first()
        recommendation = Recommendation.objects.visible_to(self.request.user).filter(
            plan=plan, code=kwargs["code"]
        )
        if plan is None or not recommendation.exists():
            raise Http404("No recommendation has this code.")
        return recommendation.select_related("plan").get().get_absolute_url()


class TopicListView(RecommendationsPreviewMixin, ListView):
    """Every plan's topics with their counts and a link to each: the topic's own page lists its
    recommendations, a page at a time, so this page does not grow with them."""

    template_name = "recommendations/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.filter(plan__in=self.plans()).select_related("plan")

    def get_context_data(self, **kwargs):
        topics = with_topic_progress(self.object_list, Recommendation.objects.published())
        plans = {topic.plan for topic in topics}
        return super().get_context_data(topics=topics, several_plans=len(plans) > 1, **kwargs)


class TopicDetailView(RecommendationsPreviewMixin, SingleObjectMixin, ListView):
    """One topic: its counts, its progress over time and its recommendations, a page at a time."""

    template_name = "recommendations/topic_detail.html"
    paginate_by = RECOMMENDATIONS_PER_PAGE

    def get(self, request, *args, **kwargs):
        topics = Topic.objects.filter(plan__in=self.plans()).select_related("plan")
        self.object = self.get_object(queryset=topics)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.recommendations().filter(topic=self.object).for_public_list()

    def get_context_data(self, **kwargs):
        published = Recommendation.objects.published().filter(topic=self.object)
        context = super().get_context_data(
            progress=published.progress(),
            progress_chart=ProgressChart(
                monthly_progress(recommendations=published, start=self.object.plan.received_on)
            ),
            **kwargs,
        )
        context["recommendations"] = context["object_list"]  # this page's
        return context


class AboutView(ListView):
    """What the portal is and how it counts; the status definitions come from the Status table."""

    template_name = "about.html"
    context_object_name = "statuses"

    def get_queryset(self):
        return Status.objects.all()


class TimelineView(RecommendationsPreviewMixin, FilterView):
    """The milestones (of one plan with ?plan=): the upcoming ones first, soonest first, then
    the past ones of one year (?year=; by default the first year in the order read: the
    earliest, or the latest when newest first), with links to the other years. A year with
    more milestones than a page holds is paged."""

    filterset_class = TimelineFilter
    template_name = "milestones/timeline.html"
    context_object_name = "milestones"

    def get_queryset(self):
        linked = self.recommendations().select_related("plan")
        return Milestone.objects.visible_to(self.request.user).for_timeline(
            recommendations=linked.only(
                "plan__slug", "code", "order", "title", "translations", "is_published"
            )
        )

    def get_context_data(self, *, object_list=None, **kwargs):
        milestones = self.object_list if object_list is None else object_list
        newest_first = self.filterset.newest_first
        past = milestones.filter(is_upcoming=False)
        years = [day.year for day in past.dates("date", "year", "DESC" if newest_first else "ASC")]
        year = self.filterset.form.cleaned_data.get("year") if self.filterset.is_valid() else None
        if year is not None and year not in years:
            raise Http404("No milestones in this year.")
        if year is None and years:
            year = years[0]
        past = past.filter(date__year=year) if year else past.none()
        paginator, page, past, is_paginated = self.paginate_queryset(
            past.reverse() if newest_first else past, MILESTONES_PER_PAGE
        )
        plan = self.request.GET.get("plan")
        return super().get_context_data(
            object_list=past,
            upcoming=list(milestones.filter(is_upcoming=True)[:MILESTONES_PER_PAGE]),
            past=past,
            year=year,
            years=years,
            paginator=paginator,
            page_obj=page,
            is_paginated=is_paginated,
            newest_first=newest_first,
            # The other order's address, the plan and the year kept.
            other_order=urlencode(
                {
                    **({"plan": plan} if plan else {}),
                    **({"year": year} if year and self.request.GET.get("year") else {}),
                    "order": "oldest" if newest_first else "newest",
                }
            ),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class FeedStylesheetView(TemplateView):
    """The stylesheet every feed names: a browser that opens a feed shows it as a page, in the
    page's language, saying what a feed is and how to follow it."""

    template_name = "feeds/atom.xsl"
    content_type = "text/xsl; charset=utf-8"

    def get_context_data(self, **kwargs):
        # Its texts are translated here: makemessages reads .html, .txt and .py files only.
        return super().get_context_data(
            explainer=FEED_EXPLAINER,
            back=gettext("Back to the page this feed follows"),
            empty=gettext("Nothing has been published here yet."),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")  # its form carries this visitor's CSRF token
class FollowView(TemplateView):
    """How to follow a plan, a topic or a recommendation: by email (a subscription, confirmed
    from the email), or in a feed reader (what a feed is, the address to copy, its latest
    entries as a page). The pages link here, not to the raw feed, which browsers no longer
    show readably (Chromium dropped XSLT)."""

    template_name = "follow.html"
    feed_class = None  # pages/feeds.py
    feed_url_name = None
    # Subscription requests from one address in an hour; more wait (each sends an email).
    SUBSCRIBE_LIMIT = 10

    def post(self, request, **kwargs):
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        followed = self.feed_class().get_object(request, **self.kwargs)  # or a 404
        if not form.cleaned_data["website"]:  # the honeypot: a bot gets the same page
            if not _within_rate(request, "subscribe", self.SUBSCRIBE_LIMIT):
                return render(request, "subscriptions/too_many.html", status=429)
            subscription_services.subscribe(
                email=form.cleaned_data["email"],
                followed=followed,
                frequency=form.cleaned_data["frequency"],
                language=get_language(),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        return redirect("subscriptions:sent")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SubscribeForm())
        feed = self.feed_class()
        scope = feed.get_object(self.request, **self.kwargs)
        feed_url = reverse(self.feed_url_name, kwargs=self.kwargs)
        # Rendered by the page's own includes, so untranslated text is marked as on any page.
        entries = [
            {
                "link": feed.item_link(item),
                "update" if isinstance(item, StatusUpdate) else "milestone": item,
            }
            for item in feed.items(scope)
        ]
        return super().get_context_data(
            feed_title=feed.title(scope),
            page_url=feed.link(scope),
            feed_url=feed_url,
            feed_address=self.request.build_absolute_uri(feed_url),
            explainer=FEED_EXPLAINER,
            entries=entries,
            **kwargs,
        )


def _within_rate(request, action, limit):
    """Whether this client has made fewer than `limit` `action` requests in the last hour
    (counted in the cache under a salted hash, so no address is stored)."""
    key = f"rate:{action}:{client_key(request, action)}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        return True
