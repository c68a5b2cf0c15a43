"""Phrase lists with a preferred shorter form, as data, matched on lemmas (the proselint/Vale habit).

File format (YAML, UTF-8), the same for our lists in `rules/data/<language>/wordiness.yaml` and for a
company's own file added with `[wordiness] lists = ["our-phrases.yaml"]`:

    language: ru                 # ru | en; required in a company's file, implied by rules/data/<language>/
    phrases:
      bureaucratese:             # category: bureaucratese, filler, hedge, opener, courtesy, time,
                                 #   intensifier, evaluation, cliche, modality, pleonasm (any other
                                 #   name is shown as written)
        осуществить оплату: оплатить     # phrase: shorter form, a drop-in replacement
        очень: ""                        # "" means: delete it
        в целях:                         # or a table, when the shorter form is not a drop-in:
          shorter: чтобы                 #   what to say instead (shown to the manager)
          replace: false                 #   do not offer it as an automatic replacement
          note: перестройте фразу: «чтобы сэкономить»   # advice shown with the finding
          except: [данные]               #   word forms that look alike but are something else
          sentence_start: true           #   only where it opens a sentence ("С нашей стороны готовы", not
                                         #   "Расхождений с нашей стороны нет")
          before_colon: true             #   only where a colon follows: the list it announces says it
                                         #   ("счёт на следующие позиции: …", not "на следующей неделе")
          delete: true                   #   the shortened email deletes the phrase, though the advice names
                                         #   something better ("when you get a chance": name a date)
          delete_sentence: true          #   where the phrase is a whole sentence, the shortened email
                                         #   deletes the sentence («Готовы ответить на ваши вопросы.»)
          delete_tail: true              #   the shorter form is the phrase's first words; the shortened email
                                         #   deletes the rest («свяжемся с вами для обсуждения деталей»)
          not_before: [в]                #   the shortened email leaves the phrase as advice where one of these
                                         #   words follows («внести изменения в договор» is not «изменить в»)

The words saved are counted on the shortened email (`stats.removable_words`), so an advice-only phrase saves
none; a `removable` key of older lists is accepted and ignored.

Write the phrase in dictionary form: "осуществить оплату" also finds "осуществили оплату" and "осуществит
оплату"; "hesitate" finds "hesitating". A word ending in `*` matches by prefix ("лучш*"). Words of a phrase
must stand next to each other (spaces or a comma between them). Quote keys YAML would read as something
else: "no", "yes", "on", "off".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

from mail_lint.errors import ConfigError
from mail_lint.rules.support.lemmas import WORD, Token, lemma, normalize

DATA = Path(__file__).parent.parent / "data"
_LIST_WORD = re.compile(WORD.pattern + r"\*?")  # a list's words may end in * (prefix match)
_SENTENCE_OPENER = re.compile(r"(?:^|[.!?…:;(«\"“\n])[ \t\u00a0]*$")
_COLON_AFTER = re.compile(r"[ \t\u00a0]*:")
_GAP = re.compile(r"[ \t\u00a0]*(?:,[ \t\u00a0]*)?\n?[ \t\u00a0]*")  # what may separate a phrase's words


@dataclass(frozen=True)
class Phrase:
    text: str                  # as written in the list
    words: tuple[str, ...]     # its words, normalized
    keys: tuple[str, ...]      # per word: its lemma, or "prefix*"
    shorter: str
    category: str
    replace: bool              # the shorter form is a drop-in replacement
    note: str = ""
    exceptions: frozenset[str] = frozenset()
    sentence_start: bool = False
    before_colon: bool = False
    delete: bool = False
    delete_sentence: bool = False
    delete_tail: bool = False
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    phrase: Phrase
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def as_written(self) -> bool:
        """The text has the very forms of the list entry (no inflection needed for the shorter form)."""
        return [t.norm for t in self.tokens] == list(self.phrase.words)


def opens_sentence(text: str, pos: int) -> bool:
    """Only spaces since the start of the text, a sentence's end, a line break or an opening quote."""
    return bool(_SENTENCE_OPENER.search(text, max(0, pos - 20), pos))


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _phrase(text: str, value, category: str, language: str, where: str) -> Phrase:
    if not isinstance(text, str) or not _words(text):
        raise ConfigError(f"{where}: phrase {text!r} is not text (quote it)")
    spec = {"shorter": value} if isinstance(value, str) else value
    if not isinstance(spec, dict) or not isinstance(spec.get("shorter", ""), str):
        raise ConfigError(f"{where}: {text!r}: expected a shorter form (text) or a table with 'shorter'")
    unknown = set(spec) - {"shorter", "replace", "removable", "note", "except", "sentence_start",
                           "before_colon", "delete", "delete_sentence", "delete_tail", "not_before"}
    if unknown:
        raise ConfigError(f"{where}: {text!r}: unknown key {sorted(unknown)[0]!r}")
    shorter = spec.get("shorter", "").strip()
    words = [normalize(w) for w in _LIST_WORD.findall(text)]
    keys = tuple(w if w.endswith("*") else lemma(w, language) for w in words)
    if spec.get("delete_tail") and [normalize(w) for w in _words(shorter)] != words[:len(_words(shorter))]:
        raise ConfigError(f"{where}: {text!r}: delete_tail needs a shorter form that is the phrase's first words")
    return Phrase(text=text.strip(), words=tuple(words), keys=keys, shorter=shorter, category=category,
                  replace=bool(spec.get("replace", True)), note=str(spec.get("note", "")),
                  exceptions=frozenset(normalize(str(e)) for e in spec.get("except", [])),
                  sentence_start=bool(spec.get("sentence_start", False)),
                  before_colon=bool(spec.get("before_colon", False)), delete=bool(spec.get("delete", False)),
                  delete_sentence=bool(spec.get("delete_sentence", False)),
                  delete_tail=bool(spec.get("delete_tail", False)),
                  not_before=frozenset(normalize(str(w)) for w in spec.get("not_before", [])))


def parse_list(raw, language: str | None, where: str) -> tuple[str, list[Phrase]]:
    """A loaded YAML document -> (language, phrases); ConfigError naming the file and entry on bad data."""
    if not isinstance(raw, dict) or not isinstance(raw.get("phrases"), dict):
        raise ConfigError(f"{where}: expected a 'phrases:' table of categories")
    declared = raw.get("language", language)
    if declared not in ("ru", "en") or (language and declared != language):
        raise ConfigError(f"{where}: language must be 'ru' or 'en', got {declared!r}")
    phrases = []
    for category, entries in raw["phrases"].items():
        if not isinstance(entries, dict):
            raise ConfigError(f"{where}: category {category!r}: expected a table of phrase: shorter form")
        phrases += [_phrase(text, value, str(category), declared, where) for text, value in entries.items()]
    return declared, phrases


def read_list(path: Path, language: str | None = None) -> tuple[str, list[Phrase]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"wordiness.lists: cannot read {path}: {e.strerror or e}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid YAML: {str(e).splitlines()[0]}") from None
    return parse_list(raw, language, str(path))


class _Node:
    """A trie node: phrases are paths of word keys; `phrases` are those that end here."""
    __slots__ = ("children", "prefixes", "phrases")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.prefixes: list[tuple[str, _Node]] = []   # keys written "prefix*"
        self.phrases: list[Phrase] = []

    def child(self, key: str) -> "_Node":
        if key.endswith("*"):
            node = next((n for p, n in self.prefixes if p == key[:-1]), None)
            if node is None:
                node = _Node()
                self.prefixes.append((key[:-1], node))
            return node
        return self.children.setdefault(key, _Node())

    def step(self, token: Token) -> list["_Node"]:
        found = [n for key in token.lemmas if (n := self.children.get(key))]
        found += [n for prefix, n in self.prefixes if token.norm.startswith(prefix)]
        return found


class PhraseIndex:
    """A trie of phrases keyed by lemmas: each token costs a dictionary look-up or two, whatever the list size."""

    def __init__(self, phrases: list[Phrase]) -> None:
        by_text = {p.text.lower(): p for p in phrases}  # a later list overrides an entry of an earlier one
        self.size = len(by_text)
        self._root = _Node()
        for p in by_text.values():
            node = self._root
            for key in p.keys:
                node = node.child(key)
            node.phrases.append(p)
        self._first_keys = frozenset(self._root.children)

    def _match_at(self, tokens: list[Token], i: int, text: str) -> Match | None:
        """The longest phrase starting at token i; of equally long ones, the one written exactly so."""
        frontier, ends = [self._root], []
        j = i
        while frontier and j < len(tokens):
            if j > i and not _GAP.fullmatch(text, tokens[j - 1].end, tokens[j].start):
                break
            stepped = [n for node in frontier for n in node.step(tokens[j])]
            frontier = stepped if len(stepped) < 2 else list({id(n): n for n in stepped}.values())
            j += 1
            ends += [(j, p) for node in frontier for p in node.phrases]
        best: Match | None = None
        for j, p in reversed(ends):
            if best and j - i < len(best.tokens):
                break
            span = tuple(tokens[i:j])
            if p.exceptions and any(t.norm in p.exceptions for t in span):
                continue
            if p.sentence_start and not opens_sentence(text, tokens[i].start):
                continue
            if p.before_colon and not _COLON_AFTER.match(text, tokens[j - 1].end):
                continue
            match = Match(p, span)
            if match.as_written:
                return match
            best = best or match
        return best

    def _may_start(self, token: Token) -> bool:
        """Most words start no phrase: one set operation says so."""
        return not self._first_keys.isdisjoint(token.lemmas) or any(
            token.norm.startswith(prefix) for prefix, _ in self._root.prefixes)

    def find(self, tokens: list[Token], text: str) -> Iterator[Match]:
        """Longest phrase first at each token; matches do not overlap."""
        i = 0
        while i < len(tokens):
            m = self._match_at(tokens, i, text) if self._may_start(tokens[i]) else None
            if m:
                yield m
                i += len(m.tokens)
            else:
                i += 1


@lru_cache(maxsize=4)
def builtin_phrases(language: str) -> tuple[Phrase, ...]:
    path = DATA / language / "wordiness.yaml"
    return tuple(read_list(path, language)[1]) if path.is_file() else ()


@lru_cache(maxsize=32)
def phrase_index(language: str, lists: tuple[str, ...] = (), extra: str = "{}") -> PhraseIndex:
    """Our list for the language, then each company file for that language, then `extra_phrases`
    (JSON of {phrase: shorter form or table}: hashable, so the index is built once per configuration)."""
    phrases = list(builtin_phrases(language))
    for path in lists:
        file_language, more = read_list(Path(path))
        if file_language == language:
            phrases += more
    phrases += [_phrase(text, value, "company", language, f"wordiness.extra_phrases.{language}")
                for text, value in json.loads(extra).items()]
    return PhraseIndex(phrases)
