"""The printable progress report: a document, not a browsing page, so it lists every
recommendation in scope. The same HTML prints from the browser and renders as a PDF on the
server (WeasyPrint); its page footers come from a small stylesheet of their own."""

import datetime
import logging
import mimetypes
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from core.translations import translation
from plans.models import City
from recommendations.trajectory import ProgressChart, monthly_progress

from . import queries
from .views import ParamsMixin

SVG_STYLES = Path(__file__).parent / "static" / "exports" / "report-chart-svg.css"
# Without ?since=, the report's "changes" section covers this many days before the as-of date.
DEFAULT_CHANGES_DAYS = 90
# The server renders a PDF of at most this many recommendations: one page of WeasyPrint costs
# about as much as the whole HTML report (bench/report.py: 39 in ~10 pages, seconds; 5,000 in
# 406 pages, minutes and 1.9 GB), and a web worker has 30 s. Larger scopes print from the browser.
PDF_MAX_RECOMMENDATIONS = 100


class ReportView(ParamsMixin, TemplateView):
    """The printable progress report: a summary page (counts, progress over time, the changes
    since the last report in brief), a section per topic with its recommendations, the
    changes and corrections of the period, the notes given for several records, and how the
    figures are computed. Its title is the city's partnership name (`city`, from the context
    processor)."""

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
        records = queries.status_changes(params, since)
        changes = [record for record in records if record.is_change]
        corrections = sorted(
            (record for record in records if record.is_correction),
            key=lambda record: record.corrected_at,
        )
        # From the earliest date of receipt among the plans in scope; the as-of day is the last.
        received = [plan_row.plan.received_on for plan_row, _rows in plans]
        series = monthly_progress(
            recommendations=params.counted(),
            start=min(filter(None, received), default=None),
            today=params.as_of,
        )
        topic_progress = {row.topic.pk: row.progress for row in summary.topics}
        return super().get_context_data(
            params=params,
            generated_at=timezone.localtime(),
            overall=summary.overall.progress,
            progress_chart=ProgressChart(series),
            plans=plans,
            several_plans=len(plans) > 1,
            topic_sections=topic_sections(recommendations, topic_progress),
            since=since,
            changes=changes,
            changed_recommendations=len({change.recommendation_id for change in changes}),
            corrections=corrections,
            uncertain_changes=sum(change.may_fall_outside for change in changes),
            shared_notes=number_shared_notes(
                [rec.latest_update for rec in recommendations if rec.last_update_date],
                changes,
                corrections,
            ),
            query_string=params.query_string(),
            pdf_query_string=params.query_string(since=since.isoformat()),
            report_url=self.request.build_absolute_uri(
                f"{self.request.path}?{params.query_string(since=since.isoformat())}"
            ),
            **kwargs,
        )


def topic_sections(recommendations, topic_progress):
    """[(plan, [(topic, its Progress, its recommendations)])], in the report's order (the
    recommendations come sorted by plan, then topic)."""
    sections = []
    for rec in recommendations:
        if not sections or sections[-1][0].pk != rec.plan_id:
            sections.append((rec.plan, []))
        topics = sections[-1][1]
        if not topics or topics[-1][0].pk != rec.topic_id:
            topics.append((rec.topic, topic_progress.get(rec.topic_id), []))
        topics[-1][2].append(rec)
    return sections


def number_shared_notes(*groups):
    """Give each record's note that the report would print more than once a number: the
    record's `note_number` (None for a note printed where it stands). Returns the numbered
    notes in the order they first appear, one record holding each, so the report prints each
    once and refers to it by number. Notes are compared as the page shows them, in its
    language."""
    records = [record for group in groups for record in group]
    shown = {}
    for record in records:
        value = translation(record, "note")
        key = (value.text.strip(), value.fell_back)
        if key[0]:
            shown.setdefault(key, []).append(record)
    numbered = []
    for same in shown.values():
        number = len(numbered) + 1 if len(same) > 1 else None
        for record in same:
            record.note_number = number
        if number:
            numbered.append(same[0])
    for record in records:
        record.note_number = getattr(record, "note_number", None)  # those without a note
    return numbered


class ReportPdfView(ReportView):
    """/report.pdf: the same report, rendered on the server as a PDF with the print
    stylesheets; the same parameters, and the same 400 page for bad ones, or for a scope
    too large to render here."""

    def get(self, request, *args, **kwargs):
        count = self.params.counted().count()
        if count > PDF_MAX_RECOMMENDATIONS:
            message = gettext(
                "This report covers %(count)s recommendations; the server makes PDFs of up to "
                "%(limit)s. Choose a plan or a topic, or print the report from your browser."
            ) % {"count": count, "limit": PDF_MAX_RECOMMENDATIONS}
            return self.invalid_parameters({"plan": [message]})
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        city = City.current()
        html = render_to_string(self.template_name, {**context, "city": city}, self.request)
        pdf = render_pdf(with_svg_styles(html), self.request.build_absolute_uri())
        response = HttpResponse(pdf, content_type="application/pdf")
        name = self.filename("progress-report", "pdf", city)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def with_svg_styles(html):
    """`html` with the chart's drawing rules inside each of its SVGs: WeasyPrint draws an inline
    SVG apart from the page, with the SVG's own stylesheet only. (Browsers apply the page's
    stylesheets, and its Content-Security-Policy refuses inline styles: the PDF only.)"""
    style = f"<style>{SVG_STYLES.read_text(encoding='utf-8')}</style>"
    return re.sub(r"(<svg\b[^>]*>)", lambda match: match.group(1) + style, html)


def render_pdf(html, base_url):
    """The PDF of a page of this site. Imported here: WeasyPrint loads Pango when imported."""
    import weasyprint

    # Its warnings name the site stylesheet's screen and SVG rules it does not know: noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_site_fetcher(), media_type="print"
    ).write_pdf()


def _site_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        """Only this site's own stylesheets, read from disk or made here; never a request over
        the network, even to this site (a worker would wait on itself)."""

        def fetch(self, url, headers=None):
            body, content_type = own_stylesheet(urlsplit(url).path)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return SiteFetcher()


def own_stylesheet(path):
    """(body, content type) of the page-margin stylesheet or a static file at `path`."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.url_name == "report-page-css":
        return page_margins_css(match.kwargs["day"]), "text/css"
    prefix = settings.STATIC_URL  # with the script prefix; static("") is refused by a manifest
    if not path.startswith(prefix):
        raise ValueError(f"Not fetched for the PDF: {path}")
    name = unquote(path[len(prefix) :])
    found = finders.find(name)
    if not found and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)
    if not found:
        raise ValueError(f"No such static file: {name}")
    with open(found, "rb") as stream:
        return stream.read(), mimetypes.guess_type(name)[0] or "application/octet-stream"


class ReportPageStylesheet(View):
    """/report/page-<as-of day>.css: what every printed page of the report carries in its
    margins (the title and as-of date, "page 2 of 9"), in the page's language. A stylesheet
    because CSS paged media puts only a stylesheet's text in page margins, and the
    Content-Security-Policy allows no inline style. No query."""

    def get(self, request, day):
        response = HttpResponse(page_margins_css(day), content_type="text/css; charset=utf-8")
        response["Content-Language"] = request.LANGUAGE_CODE
        return response


def page_margins_css(day):
    """The stylesheet of the report's page margins for the as-of `day` (YYYY-MM-DD), in the
    active language; Http404 for a day that is not a date."""
    try:
        as_of = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date") from None
    running = gettext("Progress report as of %(date)s") % {"date": formats.date_format(as_of)}
    page = gettext("Page %(page)s of %(pages)s")
    return (
        "@media print {\n  @page {\n"
        f"    @bottom-left {{ content: {css_string(running)}; }}\n"
        f"    @bottom-right {{ content: {css_content(page)}; }}\n"
        "  }\n}\n"
    )


def css_string(text):
    escaped = re.sub(r'(["\\])', r"\\\1", text.replace("\n", " "))
    return f'"{escaped}"'


def css_content(text):
    """A CSS `content` value: `text` with its %(page)s and %(pages)s as the page counters."""
    parts = re.split(r"%\((page|pages)\)s", text)
    values = [
        f"counter({part})" if i % 2 else css_string(part) for i, part in enumerate(parts) if part
    ]
    return " ".join(values)
