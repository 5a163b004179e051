"""The `q` search: whole words, stemmed, without case or accents, in the page's language, best
matches first; the same on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.views import RECOMMENDATIONS_PER_PAGE
from plans.models import Party
from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation, Topic
from recommendations.services import record_status_update
from search.models import SearchDocument
from search.words import document_words, query_words
from tests.factories import (
    PartyFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio, cards

pytestmark = pytest.mark.django_db

URL = reverse("pages:list")
ES_URL = "/es/recommendations/"


def found(client, q, url=URL):
    response = client.get(url, {"q": q})
    assert response.status_code == 200, response.status_code
    return [int(code) if code.isdigit() else code for code in cards(response)]


def codes(queryset):
    return [
        int(code) if code.isdigit() else code for code in queryset.values_list("code", flat=True)
    ]


# The "done when" of the issue, on the Oklahoma City data.


def test_an_acronym_finds_the_word_not_the_words_that_start_with_it(client, okc):
    cit = found(client, "CIT")
    assert {9, 18, 22} <= set(cit)
    assert 17 not in cit  # "Easier complaints ...": the City, not CIT
    for rec in Recommendation.objects.filter(code__in=[str(code) for code in cit]):
        assert "CIT" in " ".join([rec.title, rec.text, rec.details]) or any(
            "CIT" in update.note for update in rec.status_updates.all()
        )
    assert found(client, "cit") == cit  # typed in lower case, the same word


def test_the_acronym_is_a_word_in_spanish_too(client, okc):
    cit = found(client, "CIT", ES_URL)
    assert {9, 18, 22} <= set(cit)
    assert 17 not in cit


def test_an_unaccented_word_finds_what_the_accented_one_finds_in_spanish(client, okc):
    accented = found(client, "policía", ES_URL)
    assert accented
    assert found(client, "policia", ES_URL) == accented
    assert found(client, "POLICÍA", ES_URL) == accented


def test_a_topic_name_is_searched_so_every_homeless_outreach_recommendation_is_found(client, okc):
    topic = Topic.objects.get(slug="homeless-outreach")
    expected = set(codes(topic.recommendations.all()))
    assert expected
    assert expected <= set(found(client, "homeless"))
    # In Spanish, by the topic's Spanish name ("... personas sin hogar").
    assert expected <= set(found(client, "hogar", ES_URL))


def test_a_word_finds_its_other_forms(client, okc):
    officers, officer = found(client, "officers"), found(client, "officer")
    assert officers == officer
    assert 6 in officers  # "Public statistics on officer activity"
    assert 7 in officer  # "... critical-event interviews": only "officers" in its text


def test_words_are_whole_words(client, okc):
    # Most recommendations have "City" in their parties' names; "Cit" is not a word of it.
    assert found(client, "Cit") == found(client, "CIT")
    assert len(found(client, "city")) > len(found(client, "CIT"))
    assert 12 in found(client, "citizens")
    assert 12 not in found(client, "citizen advisory zeppelin")  # every word must be there


def test_the_same_words_are_found_through_the_shared_filter_and_the_api(client, okc):
    filterset = RecommendationFilter(
        {"q": "CIT"}, queryset=Recommendation.objects.published().with_progress()
    )
    assert filterset.is_valid()
    listed = found(client, "CIT")
    assert codes(filterset.qs) == listed
    api = client.get(reverse("exports:api-recommendations"), {"q": "CIT"}).json()
    assert sorted(int(rec["code"]) for rec in api["results"]) == sorted(listed)


# What is searched, and how the results are ordered.


@pytest.mark.parametrize(
    ("fields", "q"),
    [
        ({"title": "Zeppelin landing"}, "zeppelin"),
        ({"text": "Build a zeppelin mast."}, "zeppelin"),
        ({"details": "Zeppelins were tried in 1931."}, "zeppelin"),
        ({"code": "ZP7"}, "zp7"),
    ],
)
def test_each_field_of_a_recommendation_is_searched(client, fields, q):
    rec = RecommendationFactory(**fields)
    RecommendationFactory()
    assert cards(client.get(URL, {"q": q})) == [rec.code]


def test_the_topic_the_parties_and_the_status_notes_are_searched(client):
    in_topic = RecommendationFactory(topic=TopicFactory(name="Airship safety"))
    by_party = RecommendationFactory(leads=[PartyFactory(name="Airship Office", short_name="AO")])
    in_note = RecommendationFactory()
    StatusUpdateFactory(recommendation=in_note, note="An airship survey began.")
    RecommendationFactory()
    assert set(found(client, "airships")) == {
        int(rec.code) for rec in (in_topic, by_party, in_note)
    }


def test_a_match_in_the_title_comes_before_a_match_in_the_text_only(client):
    topic = TopicFactory()
    in_text = RecommendationFactory(topic=topic, order=1, text="Buy a zeppelin for the city.")
    in_details = RecommendationFactory(topic=topic, order=2, details="Zeppelins, perhaps.")
    in_title = RecommendationFactory(topic=topic, order=3, title="A zeppelin hangar")
    assert found(client, "zeppelin") == [int(rec.code) for rec in (in_title, in_text, in_details)]
    # Without a search, the plan's order.
    assert cards(client.get(URL)) == [rec.code for rec in (in_text, in_details, in_title)]


def test_a_spanish_page_searches_the_spanish_text_and_falls_back_to_the_english(client):
    translated = RecommendationFactory(title="Fewer fines", title_es="Menos multas")
    untranslated = RecommendationFactory(title="Fewer tickets")
    assert found(client, "multas", ES_URL) == [int(translated.code)]
    assert found(client, "multas") == []  # the English page searches the English text
    assert found(client, "fines") == [int(translated.code)]
    assert found(client, "tickets", ES_URL) == [int(untranslated.code)]


def test_an_unpublished_recommendation_is_not_found_by_the_public(client):
    RecommendationFactory(title="Secret zeppelin", is_published=False)
    assert found(client, "zeppelin") == []


# Bad input: a clear error or no results, never a server error.


def test_a_very_long_search_is_the_forms_error(client, okc):
    response = client.get(URL, {"q": "policía " * 40})
    assert response.status_code == 400
    assert "Search: Ensure this value has at most 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        '"crisis',
        "crisis'",
        "crisis & training",
        "crisis | training",
        "!crisis",
        "crisis:*",
        "cris:* & !",
        "(crisis",
        "<-> crisis",
        "crisis\\",
        "100%",
        "_",
        "%",
        "' OR 1=1 --",
        "полиция",
        "警察",
        "شرطة",
        "🚓",
        "🚓 crisis",
        "ｃｒｉｓｉｓ",  # full-width letters
        "x" * 200,
        " ".join("a" * 2 for _ in range(66)),
    ],
)
def test_signs_operators_and_any_script_never_make_a_server_error(client, okc, q):
    for url in (URL, ES_URL):
        response = client.get(url, {"q": q})
        assert response.status_code == 200, (url, q)


def test_operators_and_quotes_are_not_syntax_only_the_words_count(client, okc):
    crisis = found(client, "crisis training")
    assert crisis
    for q in ('"crisis training"', "crisis & training", "!crisis | training", "crisis:* training"):
        assert found(client, q) == crisis, q


def test_a_search_with_no_word_in_it_finds_nothing_calmly(client, okc):
    response = client.get(URL, {"q": "🚓 & | !"})
    assert response.status_code == 200
    assert cards(response) == []
    assert "No recommendation matches these filters." in response.content.decode()


def test_full_width_letters_are_the_same_letters(client, okc):
    assert found(client, "ｃｒｉｓｉｓ") == found(client, "crisis")


def test_a_search_in_another_script_finds_its_words():
    rec = RecommendationFactory(text="Обучение полиции.")
    RecommendationFactory()
    filterset = RecommendationFilter(
        {"q": "ПОЛИЦИИ"}, queryset=Recommendation.objects.with_progress()
    )
    assert filterset.is_valid()
    assert list(filterset.qs) == [rec]


# The documents follow the data.


def test_a_word_in_a_new_status_note_becomes_findable(client, okc, manager):
    rec = Recommendation.objects.get(code="4")
    assert found(client, "zeppelin") == []
    record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=rec.status_updates.first().effective_date,
        progress=30,
        note="A zeppelin survey was ordered.",
        user=manager,
    )
    assert found(client, "zeppelin") == [4]
    assert found(client, "zeppelin", ES_URL) == [4]  # untranslated: the English note


def test_a_renamed_topic_is_found_by_its_new_name(client, okc):
    topic = Topic.objects.get(slug="homeless-outreach")
    topic.name = "Unhoused neighbours outreach"
    topic.save()
    assert set(found(client, "unhoused")) == set(codes(topic.recommendations.all()))
    assert not set(codes(topic.recommendations.all())) & set(found(client, "initiatives"))


def test_a_renamed_party_is_found_by_its_new_name(client, okc):
    party = Party.objects.get(slug="911-dispatch")
    party.name = "Emergency Communications"
    party.save()
    # "communications" alone also finds the topic "Communications and transparency".
    assert found(client, "emergency communications") == [22]


def test_a_changed_title_and_a_removed_party_are_searched_as_they_are_now(client):
    party = PartyFactory(name="Airship Office")
    rec = RecommendationFactory(title="Zeppelins", leads=[party])
    assert found(client, "airship") == [int(rec.code)]
    rec.responsibilities.all().delete()
    assert found(client, "airship") == []
    rec.title = "Balloons"
    rec.save()
    assert found(client, "zeppelin") == []
    assert found(client, "balloon") == [int(rec.code)]


def test_a_corrected_note_is_searched_as_it_is_now(client):
    rec = RecommendationFactory()
    record = StatusUpdateFactory(recommendation=rec, note="Zeppelin survey.")
    record.note = "Balloon survey."
    record.save()
    assert found(client, "zeppelin") == []
    assert found(client, "balloon") == [int(rec.code)]


def test_a_new_status_record_costs_the_search_one_query(okc, manager):
    rec = Recommendation.objects.get(code="4")
    with CaptureQueriesContext(connection) as queries:
        record_status_update(
            recommendation=rec,
            status=status("planning"),
            effective_date=rec.status_updates.first().effective_date,
            progress=30,
            note="A survey was ordered.",
            user=manager,
        )
    # The note's words added to both documents in one UPDATE; the recommendation's raised
    # version changes nothing searched, so costs nothing.
    assert sum("search_searchdocument" in query["sql"] for query in queries) == 1


def test_a_deleted_status_record_takes_its_words_with_it(client):
    rec = RecommendationFactory()
    record = StatusUpdateFactory(recommendation=rec, note="Zeppelin survey.")
    assert found(client, "zeppelin") == [int(rec.code)]
    record.delete()
    assert found(client, "zeppelin") == []


def test_a_deleted_recommendation_takes_its_documents_with_it():
    rec = RecommendationFactory()
    assert SearchDocument.objects.filter(recommendation=rec).count() == 2  # en, es
    rec.delete()
    assert not SearchDocument.objects.exists()


def test_the_rebuild_command_writes_every_document_again(okc):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_documents", "--dry-run", verbosity=0)
    assert not SearchDocument.objects.exists()
    call_command("rebuild_search_documents", verbosity=0)
    assert SearchDocument.objects.count() == 2 * Recommendation.objects.count()


def test_a_loaded_fixture_is_searchable(okc):
    assert SearchDocument.objects.count() == 2 * Recommendation.objects.count()


# Words.


def test_words_lose_case_and_accents_and_keep_their_stems():
    assert query_words("Policías", "es") == query_words("policia", "es")
    assert query_words("officers", "en") == query_words("Officer", "en")
    assert query_words("CIT", "en") == query_words("cit", "en") == ["cit"]
    assert query_words("City", "en") == ["citi"]
    assert document_words(["CIT officers", "CIT officer"], "en") == ["cit", "offic"]
    assert query_words("Đà Nẵng", "vi") == ["da", "nang"]
    assert query_words("under_score", "en") == ["under", "score"]
    assert query_words("& | ! :* 🚓", "en") == []


# Queries.


@pytest.mark.parametrize("size", SIZES)
def test_a_search_runs_a_fixed_number_of_queries_and_stays_in_pages(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the plans for the plan filter, 2 the number of matches (for the pages), 3 the page of
    # recommendations with their figures, plan, topic and rank, best first, 4 their current
    # records with their status, 5 their parties and roles, 6 the city (names and footer),
    # 7 the topic choices, 8 the status choices, 9 the leads for the lead filter.
    with django_assert_num_queries(9):
        response = client.get(URL, {"q": "thing"})
    assert len(cards(response)) == min(size, RECOMMENDATIONS_PER_PAGE)
    assert f"{size} recommendations</h2>" in response.content.decode()
    last = -(-size // RECOMMENDATIONS_PER_PAGE)
    with django_assert_num_queries(9):
        response = client.get(ES_URL, {"q": "thing", "page": last})
    assert len(cards(response)) == size - (last - 1) * RECOMMENDATIONS_PER_PAGE
