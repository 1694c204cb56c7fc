"""Which language a document is written in: offline and deterministic.

kg's pipeline reads one language (English by default); a document in another
is reported and skipped rather than run through a parser that would find
nonsense in it. Detection is py3langid's naive-Bayes model over byte n-grams
(bundled with the package, no network, no randomness). Short texts are not
judged: n-gram statistics over a headline or a list of names guess wildly.
Nor are lists of names (most words capitalised, as in a list of 20,000
country names, which the model calls Central Bikol): names are written alike
in many languages, and what the text says about them is what kg reads.

Most documents are plainly English, and for them the model is not consulted
(nor loaded): a text whose words are at least :data:`ENGLISH_SHARE` English
function words ("the", "of", "which", ...) is English. No other language
uses these words that often, and a mixed text falls short of the share and
goes to the model.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["MIN_LETTERS", "SAMPLE_CHARS", "Detection", "detect", "foreign_language", "normalize_code"]

#: Texts with fewer letters than this are not judged (the detector guesses).
MIN_LETTERS = 100
#: Only this many characters from the start of a long text are looked at.
SAMPLE_CHARS = 20_000
#: The best language must have at least this probability to be reported.
MIN_CONFIDENCE = 0.5
#: ... and a document is called foreign only when its language, the one the
#: pipeline reads, is less likely than this.
MAX_EXPECTED = 0.01

# The model tells apart varieties that a user thinks of as one language
# (Wu Chinese from Mandarin, Moroccan and Egyptian Arabic from Arabic); they
# are reported, and compared, as the language.
_FOLD = {"wuu": "zh", "ary": "ar", "arz": "ar", "uzs": "uz"}
# "zxx": no linguistic content (digits, symbols, emoji).
_NO_LANGUAGE = {"zxx"}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")

#: English function words that are not words (or are rare ones) in other
#: languages written in the Latin alphabet.
_ENGLISH_WORDS = frozenset("""
the of and that for with from which this these their there were has have
been its his would said says they what when who whom whose than
could should about into after before between while
""".split())
#: The share of a text's words that must be :data:`_ENGLISH_WORDS` for it to
#: be called English without the model (running English prose: 0.15-0.25).
ENGLISH_SHARE = 0.10
#: A text whose words (of those written in lower case or capitalised, not in
#: capitals) are capitalised at least this often is a list of names and is
#: not judged. Prose capitalises far fewer: English 0.1-0.2, German, which
#: capitalises its nouns, 0.3-0.5; a list of country names 0.9.
NAMES_SHARE = 0.75
_FAST_SAMPLE = 4000


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found.

    language
        ISO 639 code of the most likely language, or ``None`` when the text
        is too short or no language is likely enough.
    confidence
        Its probability (0 when ``language`` is ``None`` for lack of letters).
    scores
        ``(code, probability)`` of the most likely languages, best first.
    """

    language: str | None
    confidence: float
    scores: tuple[tuple[str, float], ...] = ()

    def probability(self, code: str) -> float:
        """Probability of *code* (0.0 when it is not among the scores)."""
        return dict(self.scores).get(code, 0.0)


@lru_cache(maxsize=1)
def _identifier():
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as err:
        from ..errors import KGError

        raise KGError("language detection needs the py3langid package, which is not installed",
                      hint="pip install py3langid (make setup installs it)") from err
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, *, min_letters: int = MIN_LETTERS) -> Detection:
    """Detect the language of *text*.

    >>> detect("Xi Jinping met Biden.").language is None   # too short to judge
    True
    """
    sample = text[:SAMPLE_CHARS]
    if sum(1 for _ in itertools.islice(_LETTER.finditer(sample), min_letters)) < min_letters:
        return Detection(None, 0.0)
    words = _WORD.findall(sample[:_FAST_SAMPLE].lower())
    if len(words) >= 20 and sum(w in _ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words):
        return Detection("en", 1.0, (("en", 1.0),))
    if _names(sample):
        return Detection(None, 0.0)
    # Lone surrogates (from JSON escapes) cannot be encoded for the model.
    sample = sample.encode("utf-8", "replace").decode("utf-8")
    merged: dict[str, float] = {}
    for code, prob in _identifier().rank(sample):
        code = _FOLD.get(code, code)
        merged[code] = merged.get(code, 0.0) + float(prob)
    scores = tuple(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
    best, confidence = scores[0]
    if best in _NO_LANGUAGE or confidence < MIN_CONFIDENCE:
        return Detection(None, confidence, scores)
    return Detection(best, confidence, scores)


def _names(sample: str) -> bool:
    """Whether *sample* is a list of names rather than prose (see :data:`NAMES_SHARE`).

    >>> _names("United States\\nGermany\\nSouth Africa\\nCôte d'Ivoire\\n" * 10)
    True
    """
    capitalised = lower = 0
    for word in _WORD.findall(sample):
        if word.islower():
            lower += 1
        elif word[0].isupper() and (len(word) == 1 or word[1:].islower()):
            capitalised += 1
    return capitalised + lower >= 20 and capitalised >= NAMES_SHARE * (capitalised + lower)


def foreign_language(text: str, expected: str) -> str | None:
    """The language *text* is confidently written in when that is not
    *expected*; ``None`` when it is *expected*, or when unsure.

    Unsure (short text, mixed languages, no clear winner) means the document
    is kept: losing an article is worse than parsing a foreign one.
    """
    found = detect(text)
    if found.language is None or found.language == expected:
        return None
    if found.probability(expected) >= MAX_EXPECTED:
        return None
    return found.language


def normalize_code(value: str | None) -> str | None:
    """A language tag from metadata as its primary ISO 639 code.

    >>> normalize_code("en-US"), normalize_code("pt_BR"), normalize_code("English")
    ('en', 'pt', None)
    """
    if not value:
        return None
    match = re.fullmatch(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9-]*)?\s*", value)
    return match.group(1).lower() if match else None
