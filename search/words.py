"""Text into the words a search compares: the same function for the documents and the query,
so both databases, and every language, match the same tokens.

A word is a run of letters or digits, compared without case or accents ("Policía" and
"policia" are one word) and, where the language has a Snowball stemmer, by its stem
("officers" and "officer" are "offic"). Words are whole: "CIT" is not a part of "City".
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters and digits of any script; "_" is a separator (and a LIKE wildcard).
WORD = re.compile(r"[^\W_]+")
# Longer runs are not words (a pasted hash or URL); cut them alike on both sides.
LONGEST_WORD = 60
# Letters that carry no combining accent in Unicode, so NFKD leaves them alone.
FOLDED_LETTERS = str.maketrans({"đ": "d", "ø": "o", "ł": "l"})
# Snowball's algorithms by language code; a language without one is matched unstemmed.
STEMMERS = {
    code: name
    for code, name in {
        "ar": "arabic",
        "ca": "catalan",
        "da": "danish",
        "de": "german",
        "el": "greek",
        "en": "english",
        "es": "spanish",
        "eu": "basque",
        "fi": "finnish",
        "fr": "french",
        "hu": "hungarian",
        "id": "indonesian",
        "it": "italian",
        "nl": "dutch",
        "no": "norwegian",
        "pl": "polish",
        "pt": "portuguese",
        "ro": "romanian",
        "ru": "russian",
        "sv": "swedish",
        "tr": "turkish",
    }.items()
    if name in snowballstemmer.algorithms()
}


_stemmers = threading.local()  # Snowball's stemmers keep state while they work.


def _stemmer(language):
    """The stemming function of `language`, or None."""
    name = STEMMERS.get((language or "").split("-")[0])
    if not name:
        return None
    return lambda word: _stem(name, word)


@lru_cache(maxsize=100_000)
def _stem(name, word):
    # A document's words repeat across its texts and records: remember each once.
    stemmers = _stemmers.__dict__
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name].stemWord(word)


def _words(text):
    """The words of `text` in lower case without accents, at most LONGEST_WORD long."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(FOLDED_LETTERS))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return [word[:LONGEST_WORD] for word in WORD.findall(plain)]


def document_words(texts, language):
    """The words of `texts`, once each, in order."""
    found = {}
    for text in texts:
        found.update(dict.fromkeys(_normalised(text, language)))
    return list(found)


def query_words(text, language):
    """The words to look for, once each. Capitals make no difference: "CIT" is the word cit
    (never "City", whose stem is citi), as "POLICÍA" is policía."""
    return list(dict.fromkeys(_normalised(text, language)))


def _normalised(text, language):
    stem = _stemmer(language)
    return [stem(word) for word in _words(text)] if stem else _words(text)


def joined(words):
    """Words stored as one string with a space on each side of every word, so that a word is
    found whole with LIKE '% word %'."""
    return f" {' '.join(words)} " if words else ""
