"""A link to the home page, a plan, a topic or a recommendation shared on a social network or in
a messaging app shows a card: Open Graph and Twitter card tags with absolute addresses, and an
image drawn on the server with the counts or the status, in the page's language."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from fontTools.ttLib import TTFont
from PIL import Image

from pages import previews
from plans.models import City, Plan
from recommendations.models import Phase, Recommendation, Topic
from recommendations.services import record_status_update
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

VIETNAMESE = [("en", "English"), ("es", "Español"), ("vi", "Tiếng Việt")]
# A title as a Vietnamese translator would write it: every tone mark on every vowel.
VIETNAMESE_TITLE = (
    "Thành lập đơn vị can thiệp khủng hoảng: ứng phó, đào tạo, giám sát — "
    "ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ Đ "
    "àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ đ"
)


class MetaTags(HTMLParser):
    """The page's <meta property|name=... content=...> tags: {key: [contents]}."""

    def __init__(self, html):
        super().__init__()
        self.tags = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key and "content" in attrs:
            self.tags.setdefault(key, []).append(attrs["content"])

    def __getitem__(self, key):
        (value,) = self.tags[key]
        return value


def card_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return MetaTags(response.content.decode())


def image_of(client, url):
    """The PNG behind an og:image address, opened."""
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def counts(progress):
    return f"{progress.started} of {progress.total} started, {progress.implemented} implemented"


def assert_full_card(tags, url, image_url, language="en"):
    assert tags["og:url"] == url
    assert tags["og:image"] == image_url
    assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "630"
    assert tags["og:image:alt"] and tags["twitter:image:alt"] == tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:site_name"] == City.current().translated("partnership_name", language).text


def test_the_home_page_card_shows_the_counts_from_the_status_records(client, okc):
    tags = card_of(client, "/")
    assert_full_card(tags, "http://testserver/", "http://testserver/previews/home.png")
    progress = Recommendation.objects.published().progress()
    assert tags["og:description"] == counts(progress)
    assert counts(progress) in tags["og:image:alt"]
    assert tags["og:locale"] == "en"
    assert tags.tags["og:locale:alternate"] == ["es"]


def test_a_plan_page_card_shows_its_counts_and_its_image(client, okc):
    plan = Plan.objects.published().first()
    tags = card_of(client, plan.get_absolute_url())
    image = f"http://testserver/previews/plans/{plan.slug}.png"
    assert_full_card(tags, f"http://testserver{plan.get_absolute_url()}", image)
    assert plan.name in tags["og:title"]
    assert tags["og:description"] == counts(
        Recommendation.objects.published().in_plan(plan).progress()
    )
    picture = image_of(client, image)
    assert (picture.format, picture.size) == ("PNG", (1200, 630))


def test_a_topic_page_card_shows_the_topics_counts(client, okc):
    topic = Topic.objects.select_related("plan").first()
    tags = card_of(client, topic.get_absolute_url())
    image = f"http://testserver/previews/topics/{topic.slug}.png"
    assert_full_card(tags, f"http://testserver{topic.get_absolute_url()}", image)
    assert topic.name in tags["og:title"]
    progress = Recommendation.objects.published().filter(topic=topic).progress()
    assert tags["og:description"] == counts(progress)
    assert image_of(client, image).size == (1200, 630)


def test_a_recommendation_card_shows_its_code_title_and_current_status(client, okc):
    rec = (
        Recommendation.objects.published()
        .with_progress()
        .select_related("plan")
        .filter(current_phase=Phase.IN_PROGRESS)
        .first()
    )
    tags = card_of(client, rec.get_absolute_url())
    image = f"http://testserver/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png"
    assert_full_card(tags, f"http://testserver{rec.get_absolute_url()}", image)
    assert tags["og:title"] == f"Recommendation {rec.code}: {rec.title}"
    assert rec.current_status.name in tags["og:description"]
    assert f"{rec.current_progress}%" in tags["og:description"]
    assert rec.current_status.name in tags["og:image:alt"]
    assert image_of(client, image).size == (1200, 630)


def test_a_recommendation_without_a_status_record_says_it_is_not_started(client):
    rec = RecommendationFactory()
    assert "Not started" in card_of(client, rec.get_absolute_url())["og:description"]


def test_the_canonical_address_leaves_the_query_string_out(client, okc):
    tags = card_of(client, "/?utm_source=newsletter")
    assert tags["og:url"] == "http://testserver/"


def test_other_pages_have_a_plain_card_without_an_image(client, okc):
    tags = card_of(client, "/about/")
    assert tags["og:url"] == "http://testserver/about/"
    assert tags["og:title"] == City.current().partnership_name
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags.tags


def test_the_spanish_pages_point_to_the_spanish_images(client, okc):
    rec = Recommendation.objects.published().exclude(translations={}).select_related("plan")[0]
    spanish_title = rec.translations["es"]["title"]
    page = f"/es{rec.get_absolute_url()}"  # read before a Spanish request makes Spanish active
    tags = card_of(client, page)
    image = f"http://testserver/es/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png"
    assert_full_card(tags, f"http://testserver{page}", image, language="es")
    assert tags["og:title"] == f"Recomendación {rec.code}: {spanish_title}"
    assert tags["og:locale"] == "es"
    assert tags.tags["og:locale:alternate"] == ["en"]

    home = card_of(client, "/es/")
    assert home["og:url"] == "http://testserver/es/"
    assert home["og:image"] == "http://testserver/es/previews/home.png"

    english = client.get(image.replace("/es/", "/").removeprefix("http://testserver")).content
    spanish = image_of(client, image)
    assert spanish.size == (1200, 630)
    assert client.get(image.removeprefix("http://testserver")).content != english


def test_the_bundled_font_has_every_letter_of_a_vietnamese_title(client, settings):
    settings.LANGUAGES = VIETNAMESE
    rec = RecommendationFactory()
    rec.set_translation("vi", "title", VIETNAMESE_TITLE)
    rec.save()
    with translation.override("vi"):
        card = previews.recommendation_card(
            City.current(), Recommendation.objects.with_progress().get(pk=rec.pk)
        )
    assert card.title == VIETNAMESE_TITLE
    for path in (previews.REGULAR, previews.BOLD):
        assert path.is_relative_to(django_settings.BASE_DIR)  # bundled, not the system's
        cmap = TTFont(path).getBestCmap()
        missing = {
            char for char in card.title + card.kicker + card.summary if ord(char) not in cmap
        }
        assert missing == set(), path.name
    url = f"/vi/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png"
    assert image_of(client, url).size == (1200, 630)


def test_a_long_title_is_cut_with_an_ellipsis_within_the_width():
    typeface = previews.font(previews.BOLD, previews.TITLE_SIZE)
    width = previews.WIDTH - 2 * previews.MARGIN
    lines = previews.wrap("accountability " * 40, typeface, width, previews.TITLE_LINES)
    assert len(lines) == previews.TITLE_LINES
    assert lines[-1].endswith(previews.ELLIPSIS)
    assert all(typeface.getlength(line) <= width for line in lines)
    short = previews.wrap("Crisis intervention", typeface, width, previews.TITLE_LINES)
    assert short == ["Crisis intervention"]


def test_a_status_change_changes_the_cached_image(
    client, okc, page_cache, django_capture_on_commit_callbacks
):
    rec = (
        Recommendation.objects.published()
        .with_progress()
        .select_related("plan")
        .filter(current_phase=Phase.IN_PROGRESS)
        .first()
    )
    url = f"/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png"
    first = client.get(url)
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    home = client.get("/previews/home.png").content

    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=rec,
            status=status("full-implementation"),
            effective_date=rec.last_update_date,
            note="Work finished.",
        )

    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert after.content != first.content
    assert after["ETag"] != first["ETag"]
    assert client.get("/previews/home.png").content != home


def test_an_image_is_revalidated_with_its_etag(client, okc, page_cache):
    first = client.get("/previews/home.png")
    assert "no-cache" in first["Cache-Control"]
    again = client.get("/previews/home.png", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_unpublished_items_have_no_image(client, okc, manager_client):
    rec = Recommendation.objects.select_related("plan").first()
    url = f"/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png"
    rec.is_published = False
    rec.save()
    assert client.get(url).status_code == 404
    assert manager_client.get(url).status_code == 404
    # Staff preview the page itself: it offers no image that would be a 404.
    assert (
        "og:image" not in MetaTags(manager_client.get(rec.get_absolute_url()).content.decode()).tags
    )

    hidden = PlanFactory(is_published=False)
    topic = TopicFactory(plan=hidden)
    other = RecommendationFactory(topic=topic)
    for url in (
        f"/previews/plans/{hidden.slug}.png",
        f"/previews/topics/{topic.slug}.png",
        f"/previews/plans/{hidden.slug}/recommendations/{other.code}.png",
        f"/previews/plans/{rec.plan.slug}/recommendations/no-such-code.png",
        "/previews/plans/no-such-plan.png",
    ):
        assert client.get(url).status_code == 404, url


def test_robots_and_the_sitemap_leave_the_images_alone(client, okc):
    robots = client.get("/robots.txt").content.decode()
    # Social networks fetch the images: nothing keeps crawlers away from them.
    assert not re.search(r"Disallow: /(es/)?previews", robots)
    assert "/admin/" in robots
    sitemaps = [client.get("/sitemap.xml").content.decode()]
    # A sitemap index names its sitemaps: read each.
    for url in re.findall(r"<sitemap><loc>([^<]+)</loc>", sitemaps[0]):
        sitemaps.append(client.get(url.removeprefix("http://testserver")).content.decode())
    listed = re.findall(r"<loc>([^<]+)</loc>", "".join(sitemaps))
    assert "http://testserver/about/" in listed
    assert not [url for url in listed if "previews" in url or url.endswith(".png")]


# Named once: the query each image counts.
CITY = "the city's record"
COUNTS = "the counts of the recommendations in scope"
PLANS = "how many plans are published (the home page's title)"
PLAN = "the published plan"
TOPIC = "the topic, with its plan"
REC = "the recommendation with its figures (subqueries)"
CURRENT = "its current status record with its status (one prefetch)"


@pytest.mark.parametrize("size", SIZES)
def test_each_image_runs_a_fixed_number_of_queries(
    client, make_portfolio, size, django_assert_num_queries
):
    topics = build_portfolio(make_portfolio, size)
    topic = topics[0]
    rec = StatusUpdateFactory(recommendation__topic=topic).recommendation
    cases = [
        ("/previews/home.png", [CITY, COUNTS, PLANS]),
        (f"/previews/plans/{topic.plan.slug}.png", [CITY, PLAN, COUNTS]),
        (f"/previews/topics/{topic.slug}.png", [CITY, TOPIC, COUNTS]),
        (f"/previews/plans/{rec.plan.slug}/recommendations/{rec.code}.png", [CITY, REC, CURRENT]),
    ]
    for url, queries in cases:
        with django_assert_num_queries(len(queries)):
            assert client.get(url).status_code == 200, url
