"""One search document per recommendation and language: the words of everything the public
reads about it, in that language, as search/words.py makes them."""

from functools import reduce
from operator import add

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Case, Q, Value, When

from recommendations.models import Recommendation

from .words import WORD

# A document's words as PostgreSQL full-text lexemes, taken as they are: no parser or
# dictionary between, so PostgreSQL matches exactly the tokens SQLite matches, whatever its
# locale. The GIN index (migration 0001) is on this very expression.
LEXEMES = "array_to_tsvector(string_to_array(btrim({}), ' '))"
# How much a query word counts where it is found; every match has each word in `words`.
TITLE_WEIGHT = 4
MAIN_WEIGHT = 2


class WordsField(models.TextField):
    """Words joined by search.words.joined: " word word ... "."""


@WordsField.register_lookup
class HasWords(models.Lookup):
    """`field__has_words=[...]`: the field holds every one of the words."""

    lookup_name = "has_words"
    prepare_rhs = False

    def words(self):
        # Letters and digits only, so nothing in them is a LIKE wildcard or tsquery syntax.
        if not all(WORD.fullmatch(word) for word in self.rhs):
            raise ValueError("Search words are made by search.words.")
        if not self.rhs:
            raise EmptyResultSet
        return self.rhs

    def as_sql(self, compiler, connection):
        words = self.words()
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = " AND ".join([f"{lhs} LIKE %s"] * len(words))
        return f"({sql})", [p for word in words for p in (*lhs_params, f"% {word} %")]

    def as_postgresql(self, compiler, connection):
        words = self.words()
        lhs, lhs_params = self.process_lhs(compiler, connection)
        query = " & ".join(f"'{word}'" for word in words)
        return f"{LEXEMES.format(lhs)} @@ CAST(%s AS tsquery)", [*lhs_params, query]


class SearchDocumentQuerySet(models.QuerySet):
    def matching(self, words):
        """The documents that hold every one of `words` (a non-empty list)."""
        return self.filter(words__has_words=words)

    def ranked(self, words):
        """With `rank`: for each word, TITLE_WEIGHT if the code or title has it, plus
        MAIN_WEIGHT if the topic or the full text has it."""
        scores = [
            Case(When(Q(**{f"{field}__has_words": [word]}), then=Value(weight)), default=Value(0))
            for word in words
            for field, weight in (("title_words", TITLE_WEIGHT), ("main_words", MAIN_WEIGHT))
        ]
        return self.annotate(rank=reduce(add, scores, Value(0)))


class SearchDocument(models.Model):
    """Derived data, rebuilt from the recommendation, its topic, parties and status records
    whenever they change (search/signals.py; `manage.py rebuild_search_documents`)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="search_documents"
    )
    language = models.CharField(max_length=10)
    title_words = WordsField(help_text="The code and the title.")
    main_words = WordsField(help_text="The topic and the full text.")
    words = WordsField(
        help_text="All of it: code, title, topic, full text, details, parties, status notes."
    )

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"], name="searchdocument_unique"
            )
        ]

    def __str__(self):
        return f"{self.recommendation_id} ({self.language})"
