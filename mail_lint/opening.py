"""The opening line of the new text, read once: the greeting phrase and the address around it.

"Мария, добрый день!", "Добрый день, Мария Ивановна!", "Dear Ms. Smith,", "Hi John thanks for the call":
a greeting phrase from `mail_lint/data/<language>/greetings.txt` with an address before it (comma-separated
chunks of capitalised words, titles and group words) or after it. "Мария!" or "Иван Петрович, направляю
договор" is a bare address: no phrase, and whether its words are names is for the greeting check to judge
(it knows names and the recipients; the splitter does not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import NAME_WORD
from .wordlists import all_languages

_CHUNK = re.compile(r"[^,]+")
_TERMINATOR = re.compile(r"[!?.:;()]")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "г-н", "г-жа", "st"})
_SURNAME_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "господин", "госпожа", "г-н", "г-жа"})
_CONNECTORS = frozenset({"и", "and"})
_MAX_ADDRESS_WORDS = 5
_CLOSED_ADDRESS_WORDS = 4
_MAX_CHUNKS = 4                     # a greeting phrase further along the line than this is prose


@dataclass
class Word:
    text: str
    start: int
    end: int
    after_title: bool = False       # "Ms. Smith", "господин Смирнов": a surname


@dataclass
class Opening:
    """A greeting (phrase and address) or a bare address on the opening line. Offsets are into the text."""

    start: int
    end: int                                      # end of the last word of phrase and address
    phrase: str                                   # "добрый день"; "" for a bare address ("Мария!")
    persons: list[list[Word]] = field(default_factory=list)
    group: bool = False                           # "Коллеги", "team", "всем"

    @property
    def bare(self) -> bool:
        return not self.phrase

    @property
    def words(self) -> list[Word]:
        return [w for person in self.persons for w in person]


def titles() -> frozenset[str]:
    return all_languages("address_titles")


def group_words() -> frozenset[str]:
    return all_languages("group_addresses")


@lru_cache(maxsize=1)
def _greeting_phrase() -> re.Pattern:
    phrases = sorted(all_languages("greetings"), key=len, reverse=True)
    return re.compile(r"(?:%s)(?![\w-])" % "|".join(re.escape(p) for p in phrases), re.I)


def _segment_end(line: str) -> int:
    """End of the first sentence of the line; the dot of "Ms." does not end it."""
    for m in _TERMINATOR.finditer(line):
        before = NAME_WORD.findall(line[max(0, m.start() - 6):m.start()])
        if m.group() == "." and before and before[-1].lower() in _ABBREVIATIONS:
            continue
        return m.start()
    return len(line)


def _words(text: str, base: int) -> list[Word]:
    return [Word(m.group(), base + m.start(), base + m.end()) for m in NAME_WORD.finditer(text)]


def _address_word(word: Word) -> bool:
    return word.text[0].isupper() or word.text.lower() in titles() | group_words()


def is_address(words: list[Word]) -> bool:
    """A short run of capitalised words, titles and group words: "Мария", "уважаемые коллеги", "Ms. Smith"."""
    return 1 <= len(words) <= _MAX_ADDRESS_WORDS and all(map(_address_word, words))


def _inline_address(words: list[Word], closed: bool) -> list[Word]:
    """The address after the phrase in its chunk: all of a short chunk closed by a comma or a stop
    ("Уважаемый клиент,", "Dear Madam or Sir,"), else the address words up to the first other word
    ("Hi John thanks for the call": John)."""
    if closed and len(words) <= _CLOSED_ADDRESS_WORDS:
        return words
    out = []
    for w in words[:_MAX_ADDRESS_WORDS]:
        if not (_address_word(w) or w.text.lower() in _CONNECTORS):
            break
        out.append(w)
    while out and out[-1].text.lower() in _CONNECTORS:
        out.pop()
    return out


def persons(chunks: list[list[Word]]) -> tuple[list[list[Word]], bool]:
    """The people named in the address chunks ("Мария и Олег" is two), and whether a group is addressed."""
    title_words, groups = titles(), group_words()
    found: list[list[Word]] = []
    group = False
    for chunk in chunks:
        if any(w.text.lower() in groups for w in chunk):
            group = True                   # "Alfa Solar team", "Команда Альфа Солар": a company, not a person
            continue
        current: list[Word] = []
        after_title = False
        for w in chunk:
            low = w.text.lower().replace("ё", "е")
            if low in _CONNECTORS:
                if current:
                    found.append(current)
                current, after_title = [], False
            elif low in groups or low.replace("е", "ё") in groups:
                group = True
            elif low in title_words or low in _SURNAME_TITLES:
                after_title = after_title or low in _SURNAME_TITLES
            elif w.text[0].isupper():
                w.after_title = after_title
                current.append(w)
        if current:
            found.append(current)
    return found, group


def _chunks(text: str, start: int, end: int) -> list[tuple[list[Word], re.Match]]:
    line = text[start:end]
    segment = line[:_segment_end(line)]
    chunks = [(_words(m.group(), start + m.start()), m) for m in _CHUNK.finditer(segment)]
    return [(ws, m) for ws, m in chunks if ws]


def read_opening(text: str, start: int, end: int) -> Opening | None:
    """The greeting, or a bare address, that opens the line text[start:end]; None when it opens with neither."""
    chunks = _chunks(text, start, end)
    phrase_re = _greeting_phrase()
    for i, (words, m) in enumerate(chunks[:_MAX_CHUNKS]):
        chunk_text = m.group().lstrip()
        found = phrase_re.match(chunk_text)
        if not found:
            continue
        if not all(is_address(ws) for ws, _ in chunks[:i]):
            return None
        offset = start + m.start() + (len(m.group()) - len(chunk_text)) + found.end()
        address = [ws for ws, _ in chunks[:i]]
        closed = m.end() < len(text[start:end].rstrip())
        inline = _inline_address([w for w in words if w.start >= offset], closed)
        if inline:
            address.append(inline)
        span_end = inline[-1].end if inline else offset
        for ws, _ in chunks[i + 1:i + _MAX_CHUNKS]:
            if inline or not is_address(ws):
                break
            address.append(ws)
            span_end = ws[-1].end
        found_persons, group = persons(address)
        group = group or "всем" in found.group().lower()      # "Всем привет!"
        return Opening(start + chunks[0][1].start() + (len(chunks[0][1].group()) - len(chunks[0][1].group().lstrip())),
                       span_end, found.group().lower(), found_persons, group)
    if chunks and is_address(chunks[0][0]):
        words = chunks[0][0]
        found_persons, group = persons([words])
        return Opening(words[0].start, words[-1].end, "", found_persons, group)
    return None


def address_below(text: str, start: int, end: int) -> Opening | None:
    """"Добрый день,\\nМария Ивановна!": the bare address on the line text[start:end] under a nameless greeting."""
    line = text[start:end]
    if len(line[:_segment_end(line)].split()) > 4:
        return None
    opening = read_opening(text, start, end)
    return opening if opening and opening.bare and opening.persons else None
