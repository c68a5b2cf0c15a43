"""Shared tokenizer and lemmatizer: words with offsets, and their dictionary forms.

Russian lemmas come from pymorphy3, English ones from a small irregular table and suffix stripping. Both are cached per word form, so a word seen in a thousand emails is analysed once.

A token keeps a *set* of lemma candidates: its surface form plus the dictionary form of every parse
(pymorphy3 reads "данная" first as a participle of "дать", second as the adjective "данный"). A phrase list
written in dictionary forms ("осуществить оплату", "hesitate") then matches every inflected form
("осуществили оплату", "hesitating") without a full English morphology; an entry can exclude a form that
only looks alike (see rules/support/phrases.py).

Other checks may reuse: `tokenize(text, language, start, end)`, `lemma(word, language)`, `parse_ru(word)`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from mail_lint.text import WORD  # one definition of a word, for stats.words and removable_words alike


# Forms that suffix stripping would get wrong or cannot reach.
_EN_IRREGULAR = {
    "am": "be", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "'s": "be",
    "has": "have", "had": "have", "having": "have", "does": "do", "did": "do", "done": "do", "doing": "do",
    "went": "go", "gone": "go", "goes": "go", "made": "make", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "got": "get", "gotten": "get", "felt": "feel", "thought": "think",
    "brought": "bring", "sent": "send", "kept": "keep", "let": "let", "found": "find", "said": "say",
    "told": "tell", "wrote": "write", "written": "write", "knew": "know", "known": "know", "saw": "see",
    "seen": "see", "came": "come", "became": "become", "began": "begin", "begun": "begin", "meant": "mean",
    "children": "child", "people": "person", "men": "man", "women": "woman", "better": "good",
    "best": "good", "worse": "bad", "worst": "bad", "wanna": "want",
}
_DOUBLED = re.compile(r"([bdgklmnprt])\1$")


def normalize(word: str) -> str:
    """Lower case, ё as е, typographic apostrophe as ASCII: the form lists and text are compared in."""
    return word.lower().replace("ё", "е").replace("’", "'")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parses_ru(word: str) -> tuple:
    """pymorphy3's parses of a lower-case Russian word form, most probable first."""
    return tuple(_morph().parse(word))


@lru_cache(maxsize=50_000)
def known_ru(word: str) -> bool:
    """pymorphy3's dictionary has this Russian word form (not merely a guess from its ending)."""
    return _morph().word_is_known(normalize(word))


def parse_ru(word: str):
    """The most probable parse."""
    return parses_ru(word)[0]


def _en_candidates(word: str) -> set[str]:
    """Possible base forms of an English word; over-generation is harmless because lists hold real words."""
    out = {word}
    if word in _EN_IRREGULAR:
        out.add(_EN_IRREGULAR[word])
    if word.endswith("n't"):
        out.add(word[:-3])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out |= {stem, stem + "e"}
            if _DOUBLED.search(stem):
                out.add(stem[:-1])
    if word.endswith("ied") and len(word) > 4:
        out.add(word[:-3] + "y")
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 3:
        out |= {word[:-2], word[:-1]}
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.add(word[:-1])
    if word.endswith("ly") and len(word) > 4:
        out.add(word[:-2])
    return out


@lru_cache(maxsize=200_000)
def lemma_candidates(word: str, language: str) -> frozenset[str]:
    """Every form a list entry may use for this word: the word itself and its lemma(s)."""
    form = normalize(word)
    if language == "ru":
        if not re.search(r"[а-я]", form):
            return frozenset({form})
        return frozenset({form, *(normalize(p.normal_form) for p in parses_ru(form))})
    return frozenset(_en_candidates(form))


@lru_cache(maxsize=50_000)
def lemma(word: str, language: str) -> str:
    """One dictionary form: pymorphy3's for Russian, the word itself (irregulars resolved) for English.

    Lists are written in dictionary forms; this is how their words are keyed."""
    form = normalize(word)
    if language == "ru" and re.search(r"[а-я]", form):
        return normalize(parse_ru(form).normal_form)
    return _EN_IRREGULAR.get(form, form) if language == "en" else form


class Token(NamedTuple):
    text: str                # as written
    start: int               # offsets into the text tokenize() was given
    end: int
    norm: str                # normalized: lower case, ё as е
    lemmas: frozenset[str]   # the normalized form plus lemma candidates


@lru_cache(maxsize=200_000)
def _analysis(word: str, language: str) -> tuple[str, frozenset[str]]:
    return normalize(word), lemma_candidates(word, language)


def tokenize(text: str, language: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of text[start:end] with offsets into `text` (not into the slice)."""
    end = len(text) if end is None else end
    tokens = []
    for m in WORD.finditer(text, start, end):
        word = m.group()
        norm, lemmas = _analysis(word, language)
        tokens.append(Token(word, m.start(), m.end(), norm, lemmas))
    return tokens
