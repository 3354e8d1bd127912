"""Text folding: which written forms of a name count as the same name.

News, GeoNames and ACLED spell one place many ways ('Ḩalab', "Ma'arrat", 'Deir ez-Zor' /
'Dayr az Zawr').  `fold` gives the lower-case ASCII key every look-up compares, `fold_title`
the same without lower-casing (for display), `skeleton` a looser key that ignores
transliteration choices, and `is_latin` tells whether a name could appear in English text
at all.  The gazetteer, the places and events stages and the actor dictionary all compare
names through these, so they agree on what "the same name" means.
"""
from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["ARTICLES", "FOLD_TABLE", "fold", "fold_title", "is_latin", "skeleton"]

FOLD_TABLE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ħ": "h",
    # apostrophes, ayin/hamza marks and backticks vanish: Ma'arrat = Ma`arrat = Maarrat
    "'": "", "’": "", "‘": "", "`": "", "´": "", "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "′": "",
    "”": "", "“": "", '"': "",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Arabic definite-article forms (assimilated or not) that transliterations keep or drop.
ARTICLES = frozenset("al el ad an ar as at az ash ath adh ed en er es et ez ul il".split())


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII key: diacritics folded, apostrophes dropped, punctuation to spaces."""
    text = unicodedata.normalize("NFKD", text.translate(FOLD_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def fold_title(text: str) -> str:
    """Diacritics dropped, case kept: 'Ḩalab' -> 'Halab'."""
    text = unicodedata.normalize("NFKD", text.translate(FOLD_TABLE))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_SKELETON_SUBS = (
    (re.compile(r"kh"), "h"), (re.compile(r"gh"), "g"), (re.compile(r"dh"), "d"),
    (re.compile(r"th"), "t"), (re.compile(r"ph"), "f"), (re.compile(r"(dzh|dj|zh)"), "j"),
    (re.compile(r"q"), "k"), (re.compile(r"ck"), "k"), (re.compile(r"(sch|sh)"), "s"),
    (re.compile(r"(?<=[aeiouy])h(?![aeiouy])"), ""),      # Hamah = Hama, Raqqah = Raqqa
    (re.compile(r"(.)\1+"), r"\1"),                        # Odessa = Odesa, Maarrat = Maarat
    (re.compile(r"[aeiouy]+(w(?![aeiouy]))?"), "a"),       # vowels and diphthongs: Dayr = Deir, Zawr = Zor
)


@functools.lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A transliteration-insensitive key: articles, doubled letters and vowel spellings ignored.

    Khmeimim/Hmeimim, Avdiivka/Avdiyivka, Deir ez-Zor/Dayr az Zawr and Maarat al-Numan/
    Ma'arrat al-Nu'man share one.  Used only to find candidates that a similarity check
    then accepts or rejects.
    """
    toks = key.split()
    toks = [t for i, t in enumerate(toks) if not (t in ARTICLES and i < len(toks) - 1)]
    s = "".join(toks)
    for pattern, repl in _SKELETON_SUBS:
        s = pattern.sub(repl, s)
    return s


def is_latin(text: str) -> bool:
    """True when a name is written in Latin script (other scripts cannot match English text)."""
    for ch in text:
        if ord(ch) < 0x250 or not ch.isalpha():
            continue
        if unicodedata.category(ch) in ("Lm", "Mn"):
            continue
        if "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True
