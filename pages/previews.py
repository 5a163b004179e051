"""Link previews: what a shared link to the home page, a plan, a topic or a recommendation
shows on a social network or in a messaging app (Open Graph and Twitter card tags), and the
1200 x 630 image drawn for it here with Pillow, in the page's language.

The texts come from the same figures as the pages (counts from the status records, the current
status of a recommendation), so a card says what the page says. The font is bundled
(pages/fonts/, DejaVu Sans: Latin, including Vietnamese, Greek and Cyrillic); a language in
another script needs a font that covers it.
"""

import functools
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext, to_locale
from PIL import Image, ImageDraw, ImageFont

from core.translations import active_language, translation
from recommendations.models import Progress

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
# The site's colours (static/css/portal.css): brand, text, muted, track, started, done.
BRAND, TEXT, MUTED, TRACK = "#0f2f4f", "#1f2328", "#4d5761", "#e6eaef"
STARTED, DONE = "#0b57a4", "#1a7f37"
PHASE_COLOURS = {"not-started": "#59636e", "in-progress": "#9a6700", "implemented": DONE}
TITLE_SIZE, TITLE_LINES = 60, 3
ELLIPSIS = "…"


NO_RECOMMENDATIONS = Progress(total=0, started=0, implemented=0)


@dataclass(frozen=True)
class Bar:
    """A share of the progress bar (0-100) in a colour; the bars are drawn over each other."""

    percent: int
    colour: str


@dataclass(frozen=True)
class Card:
    """What a link preview says: on the image, and in the tags (title, description, alt)."""

    site: str
    title: str
    kicker: str = ""  # a line above the title: the plan, "Recommendation 12"
    summary: str = ""  # the counts, or the status
    bars: tuple = ()
    page_title: str = ""  # og:title, when it is not the title alone

    @property
    def alt(self):
        return ". ".join(
            part for part in (self.site, self.kicker, self.title, self.summary) if part
        )


# --- What each page's card says ---


def counts_summary(progress):
    return gettext("%(started)s of %(total)s started, %(implemented)s implemented") % {
        "started": progress.started,
        "total": progress.total,
        "implemented": progress.implemented,
    }


def counts_bars(progress):
    # Implemented drawn over started: the bar reads like the pages' own bars.
    return (
        Bar(progress.started_percent, STARTED),
        Bar(progress.implemented_percent, DONE),
    )


def site_name(city):
    return translation(city, "partnership_name").text


def home_card(city, *, progress, plan_count):
    if plan_count == 1:
        title = ngettext(
            "Progress on %(total)s public-safety recommendation",
            "Progress on %(total)s public-safety recommendations",
            progress.total,
        ) % {"total": progress.total}
    else:
        title = gettext("Progress on the city's recommendations")
    return Card(
        site=site_name(city),
        title=title,
        summary=counts_summary(progress),
        bars=counts_bars(progress),
    )


def plan_card(city, plan, *, progress):
    return Card(
        site=site_name(city),
        title=translation(plan, "name").text,
        kicker=translation(plan, "issued_by").text,
        summary=counts_summary(progress),
        bars=counts_bars(progress),
    )


def topic_card(city, topic, *, progress):
    return Card(
        site=site_name(city),
        title=translation(topic, "name").text,
        kicker=translation(topic.plan, "short_name").text,
        summary=counts_summary(progress),
        bars=counts_bars(progress),
    )


def recommendation_card(city, recommendation):
    """Needs with_progress(): the current status and progress come from the status records."""
    status = recommendation.current_status
    name = translation(status, "name").text if status else gettext("Not started")
    summary = pgettext("link preview", "Status: %(status)s, %(progress)s%% done") % {
        "status": name,
        "progress": recommendation.current_progress,
    }
    colour = PHASE_COLOURS.get(recommendation.current_phase, STARTED)
    title = translation(recommendation, "title").text
    return Card(
        site=site_name(city),
        title=title,
        kicker=gettext("Recommendation %(number)s") % {"number": recommendation.code},
        summary=summary,
        bars=(Bar(recommendation.current_progress, colour),),
        # As the page's own title says it.
        page_title=gettext("Recommendation %(number)s: %(title)s")
        % {"number": recommendation.code, "title": title},
    )


# --- The tags of a page ---


@dataclass(frozen=True)
class LinkPreview:
    """What templates/includes/link_preview.html prints: absolute addresses, and the image's
    address only for the pages that have one."""

    site: str
    title: str
    description: str
    url: str
    locale: str
    alternate_locales: tuple
    image: str = ""
    image_alt: str = ""
    width: int = WIDTH
    height: int = HEIGHT


def page_preview(context):
    """The link preview of the page being rendered, from what its view put in the context
    (no query: the counts and the current status are already there): a card for the home,
    plan, topic and recommendation pages; the site's name alone for any other page. None
    without a request (a page rendered outside one)."""
    request = context.get("request")
    city = context.get("city")
    if request is None or city is None:
        return None
    match = request.resolver_match
    found = _card_for_page(match.view_name, context) if match else None
    language = active_language()
    locales = tuple(to_locale(code) for code, _ in settings.LANGUAGES if code != language)
    preview = {
        "site": site_name(city),
        "url": request.build_absolute_uri(request.path),
        "locale": to_locale(language),
        "alternate_locales": locales,
    }
    if found is None:
        return LinkPreview(title=preview["site"], description="", **preview)
    card, image_name, image_args = found
    return LinkPreview(
        title=card.page_title or card.title,
        description=card.summary,
        image=request.build_absolute_uri(reverse(image_name, args=image_args)),
        image_alt=card.alt,
        **preview,
    )


def _card_for_page(view_name, context):
    """(card, image URL name, its arguments) for a page that has an image, else None: an
    error page, or an unpublished item shown to staff (its image is a 404)."""
    city = context["city"]
    if view_name == "pages:home" and context.get("plans") is not None:
        plans = context["plans"]
        progress = sum((plan.progress for plan in plans), NO_RECOMMENDATIONS)
        card = home_card(city, progress=progress, plan_count=len(plans))
        return card, "pages:home-preview", []
    if view_name == "pages:plan" and "progress" in context:
        plan = context["plan"]
        if plan.is_published:
            return (
                plan_card(city, plan, progress=context["progress"]),
                "pages:plan-preview",
                [plan.slug],
            )
    if view_name == "pages:topic-detail" and "progress" in context:
        topic = context["topic"]
        if topic.plan.is_published:
            card = topic_card(city, topic, progress=context["progress"])
            return card, "pages:topic-preview", [topic.slug]
    if view_name == "pages:detail" and "recommendation" in context:
        recommendation = context["recommendation"]
        if recommendation.is_published and recommendation.plan.is_published:
            card = recommendation_card(city, recommendation)
            args = [recommendation.plan.slug, recommendation.code]
            return card, "pages:recommendation-preview", args
    return None


# --- The image ---


@functools.cache
def font(path, size):
    return ImageFont.truetype(str(path), size)


def wrap(text, typeface, width, max_lines):
    """`text` in lines no wider than `width` pixels, at most `max_lines`; what does not fit
    ends the last line with an ellipsis. A word wider than a line is cut where it must be."""
    words = text.split()
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if typeface.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while typeface.getlength(word) > width:
            cut = _fitting(word, typeface, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and typeface.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip(" ,;:.-") + ELLIPSIS]


def _fitting(word, typeface, width):
    """How many of the word's first characters fit in `width` (at least one)."""
    cut = len(word)
    while cut > 1 and typeface.getlength(word[:cut]) > width:
        cut -= 1
    return cut


def one_line(text, typeface, width):
    return wrap(text, typeface, width, 1)[0] if text.strip() else ""


def render_png(card):
    """The card as a 1200 x 630 PNG (bytes)."""
    # One normal form: a title typed with combining accents draws as precomposed letters.
    text = functools.partial(unicodedata.normalize, "NFC")
    inner = WIDTH - 2 * MARGIN
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)

    draw.rectangle((0, 0, WIDTH, 96), fill=BRAND)
    site_font = font(BOLD, 34)
    draw.text((MARGIN, 48), one_line(text(card.site), site_font, inner), "white", site_font, "lm")

    y = 140
    if card.kicker:
        kicker_font = font(REGULAR, 32)
        draw.text((MARGIN, y), one_line(text(card.kicker), kicker_font, inner), MUTED, kicker_font)
        y += 54
    title_font = font(BOLD, TITLE_SIZE)
    for line in wrap(text(card.title), title_font, inner, TITLE_LINES):
        draw.text((MARGIN, y), line, TEXT, title_font)
        y += round(TITLE_SIZE * 1.2)

    if card.summary:
        summary_font = font(REGULAR, 38)
        summary = one_line(text(card.summary), summary_font, inner)
        draw.text((MARGIN, 470), summary, TEXT, summary_font)
    if card.bars:
        top, bottom = 540, 580
        draw.rounded_rectangle((MARGIN, top, WIDTH - MARGIN, bottom), 8, fill=TRACK)
        for bar in card.bars:
            share = max(0, min(bar.percent, 100)) / 100
            if share:
                right = MARGIN + max(round(inner * share), 16)
                draw.rounded_rectangle((MARGIN, top, right, bottom), 8, fill=bar.colour)

    output = io.BytesIO()
    # The fastest compression: half the time of the default, for a sixth more bytes.
    image.save(output, "PNG", compress_level=1)
    return output.getvalue()
