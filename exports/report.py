"""The printable progress report: a document, not a browsing page, so it lists every
recommendation in scope."""

from datetime import timedelta

from django.utils import timezone
from django.views.generic import TemplateView

from recommendations.trajectory import ProgressChart, monthly_progress

from . import columns, queries
from .views import ParamsMixin

# Without ?since=, the report's "changes" section covers this many days before the as-of date.
DEFAULT_CHANGES_DAYS = 90


class ReportView(ParamsMixin, TemplateView):
    """The printable progress report: counts, plans and topics, each recommendation, recent
    changes. Its title is the city's partnership name (`city`, from the context processor)."""

    template_name = "exports/report.html"
    params_options = {"since": True}

    def get_context_data(self, **kwargs):
        params = self.params
        since = params.since or params.as_of - timedelta(days=DEFAULT_CHANGES_DAYS)
        summary = queries.summary(params)
        plans = [
            (plan_row, [row for row in topic_rows if row.progress.total])
            for plan_row, topic_rows in summary.plans_with_topics()
        ]
        recommendations = queries.with_latest_update(
            queries.recommendations(params).order_by(
                "plan__order", "plan_id", "topic__number", "order", "code"
            )
        )
        changes = queries.status_changes(params, since)
        # From the earliest date of receipt among the plans in scope; the as-of day is the last.
        received = [plan_row.plan.received_on for plan_row, _rows in plans]
        series = monthly_progress(
            recommendations=params.counted(),
            start=min(filter(None, received), default=None),
            today=params.as_of,
        )
        return super().get_context_data(
            params=params,
            generated_at=timezone.localtime(),
            overall=summary.overall.progress,
            progress_chart=ProgressChart(series),
            plans=plans,
            several_plans=len(plans) > 1,
            recommendations=recommendations,
            since=since,
            changes=changes,
            uncertain_changes=sum(change.may_fall_outside for change in changes),
            query_string=params.query_string(),
            report_url=self.request.build_absolute_uri(
                f"{self.request.path}?{params.query_string(since=since.isoformat())}"
            ),
            counting_rules=columns.COUNTING_RULES,
            **kwargs,
        )
