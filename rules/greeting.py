"""Greeting: does the email open by greeting the recipient by name, and by the right name?

**What it checks.** The first non-empty line of the new text (quoted history is ignored). A greeting is a
greeting phrase ("Добрый день", "Здравствуйте", "Привет", "Уважаемый", "Hi", "Dear", "Hello"...) with an
optional address on either side ("Мария, добрый день!", "Добрый день, Мария!", "Dear Ms. Smith,"), or a
bare address ("Мария!"). The names in the address are compared with the To recipients: display names,
and the local part of the address as a hint (ivan.petrov@, i.petrov@, maria@). Diminutives ("Маша" is
Мария), inflection ("Марии") and transliteration ("Ivan" is Иван) count as the same name
(`rules/support/names.py`, tables in `rules/data/<lang>/diminutives.txt`); "Иван Петрович" is a named greeting, and
a patronymic is never a wrong name. When the To reveals no name (info@ without a display name), a name
cannot be checked and is not flagged.
- `greeting.missing`: no greeting on the first line (span: that line).
- `greeting.unnamed`: a greeting without a name to one person (span: the greeting). A nameless or group
  greeting ("Коллеги", "team", "all") to several recipients is fine.
- `greeting.wrong-name`: a name that matches none of the To recipients (span: the name).

**Why it matters.** A greeting by name shows the email was written for this reader, not mass-mailed. A
wrong name is worse than none: the client sees a copy-pasted email meant for someone else.

**Bad.** "Добрый день!" or "Олег, добрый день!" to Мария Соколова.

**Better.** "Мария, добрый день!" ("Маша, привет!" among colleagues; "Коллеги, добрый день!" to several).

**Options** (`[greeting]`): `group_min_recipients` (int, 2): from how many To+Cc recipients a nameless or
group greeting is fine.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.model import Message
from mail_lint.rules.support.names import Recipient, name_kind, recipient, suggested_name
from mail_lint.wordlists import load_list

RULES = (
    Rule("EM101", "greeting.missing", "warning",
         "The email does not open with a greeting.",
         label=("нет приветствия", "no greeting"),
         why="An email that starts with business reads as curt; a greeting sets the tone in one line.",
         bad="Направляю КП во вложении.", better="Мария, добрый день!\n\nНаправляю КП во вложении."),
    Rule("EM102", "greeting.unnamed", "warning",
         "The greeting does not name the recipient (an email to one person).",
         label=("приветствие без имени", "greeting without a name"),
         why="A greeting by name shows the email was written for this reader, not mass-mailed.",
         bad="Добрый день!", better="Мария, добрый день!"),
    Rule("EM103", "greeting.wrong-name", "error",
         "The greeting names someone who is not among the To recipients.",
         label=("в приветствии чужое имя", "greeting names the wrong person"),
         why="A wrong name is worse than none: the client sees a copy-pasted email meant for someone else.",
         bad="Олег, добрый день! (to Мария Соколова)", better="Мария, добрый день!"),
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CHUNK = re.compile(r"[^,]+")
_TERMINATOR = re.compile(r"[!?.:;()]")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "г-н", "г-жа", "st"})
_SURNAME_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "господин", "госпожа", "г-н", "г-жа"})
_CONNECTORS = frozenset({"и", "and"})
_MAX_ADDRESS_WORDS = 5


def _both(name: str) -> frozenset[str]:
    return load_list("ru", name) | load_list("en", name)


@lru_cache(maxsize=1)
def _greeting_phrase() -> re.Pattern:
    phrases = sorted(_both("greetings"), key=len, reverse=True)
    return re.compile(r"(?:%s)(?![\w-])" % "|".join(re.escape(p) for p in phrases), re.I)


@dataclass
class Word:
    text: str
    start: int
    end: int
    after_title: bool = False    # "Ms. Smith", "господин Смирнов": a surname


@dataclass
class Greeting:
    start: int
    end: int
    phrase: str                                   # "добрый день", "" for a bare address ("Мария!")
    persons: list[list[Word]] = field(default_factory=list)
    group: bool = False


def _segment_end(line: str) -> int:
    """End of the first sentence of the line; the dot of "Ms." does not end it."""
    for m in _TERMINATOR.finditer(line):
        before = _WORD.findall(line[max(0, m.start() - 6):m.start()])
        if m.group() == "." and before and before[-1].lower() in _ABBREVIATIONS:
            continue
        return m.start()
    return len(line)


def _words(text: str, base: int) -> list[Word]:
    return [Word(m.group(), base + m.start(), base + m.end()) for m in _WORD.finditer(text)]


def _is_address(words: list[Word]) -> bool:
    """A short run of capitalised words, titles and group words: "Мария", "уважаемые коллеги", "Ms. Smith"."""
    if not 1 <= len(words) <= _MAX_ADDRESS_WORDS:
        return False
    extra = _both("address_titles") | _both("group_addresses")
    return all(w.text[0].isupper() or w.text.lower() in extra for w in words)


def _persons(chunks: list[list[Word]]) -> tuple[list[list[Word]], bool]:
    """The people named in the address chunks ("Мария и Олег" is two), and whether a group is addressed."""
    titles, groups = _both("address_titles"), _both("group_addresses")
    persons: list[list[Word]] = []
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
                    persons.append(current)
                current, after_title = [], False
            elif low in groups or low.replace("е", "ё") in groups:
                group = True
            elif low in titles or low in _SURNAME_TITLES:
                after_title = after_title or low in _SURNAME_TITLES
            elif w.text[0].isupper():
                w.after_title = after_title
                current.append(w)
        if current:
            persons.append(current)
    return persons, group


def parse_greeting(text: str, start: int, end: int, pool: list[Recipient]) -> Greeting | None:
    """The greeting on the line text[start:end], or None."""
    line = text[start:end]
    segment = line[:_segment_end(line)]
    chunks = [(_words(m.group(), start + m.start()), m) for m in _CHUNK.finditer(segment)]
    chunks = [(ws, m) for ws, m in chunks if ws]
    phrase_re = _greeting_phrase()
    for i, (words, m) in enumerate(chunks[:4]):
        chunk_text = m.group().lstrip()
        found = phrase_re.match(chunk_text)
        if not found:
            continue
        if not all(_is_address(ws) for ws, _ in chunks[:i]):
            return None
        offset = start + m.start() + (len(m.group()) - len(chunk_text)) + found.end()
        address = [ws for ws, _ in chunks[:i]]
        inline = [w for w in words if w.start >= offset]
        if inline:
            address.append(inline)
        last = i
        for ws, _ in chunks[i + 1:i + 4]:
            if inline or not _is_address(ws):
                break
            address.append(ws)
            last += 1
        persons, group = _persons(address)
        group = group or "всем" in found.group().lower()      # "Всем привет!"
        span_end = chunks[last][1].end() + start
        return Greeting(start + chunks[0][1].start(), span_end, found.group().lower(), persons, group)
    return _bare_address(chunks, start, pool)


def _bare_address(chunks, start: int, pool: list[Recipient]) -> Greeting | None:
    """"Мария!", "Иван Петрович, направляю договор": an address by name, without a greeting phrase."""
    if not chunks or not _is_address(chunks[0][0]):
        return None
    chunks = chunks[:1]
    persons, group = _persons([ws for ws, _ in chunks])
    words = [w for p in persons for w in p]
    known = any(name_kind(w.text) for w in words) or any(r.matches(w.text) for r in pool for w in words)
    if not (known or group):
        return None
    return Greeting(start + chunks[0][1].start(), start + chunks[-1][1].end(), "", persons, group)


def _first_line(message: Message) -> tuple[int, int] | None:
    """The first non-empty line of the new text, without its surrounding blanks."""
    text, end, pos = message.text, message.new_text_end, 0
    while pos < end:
        nl = text.find("\n", pos, end)
        nl = end if nl < 0 else nl
        raw = text[pos:nl]
        if raw.strip():
            return pos + len(raw) - len(raw.lstrip()), pos + len(raw.rstrip())
        pos = nl + 1
    return None


def _better_greeting(phrase: str, name: str, language: str) -> str:
    if language == "ru":
        phrase = phrase if phrase and phrase not in _both("address_titles") else "добрый день"
        return f"{name}, {phrase}!"
    phrase = phrase if phrase and phrase not in ("hi there", "hello there") else "hi"
    return f"{phrase.capitalize()} {name},"


def _recipient_names(message: Message) -> str:
    return ", ".join(a.name or a.email for a in message.to) or "—"


def _wrong_name_hit(g: Greeting, words: list[Word], person: list[Word], message: Message,
                    to: list[Recipient]) -> Hit:
    lang, addressees = message.language, _recipient_names(message)
    shown = " ".join(w.text for w in person)
    right = next((n for r in to if (n := suggested_name(r, lang))), "")
    surname = words[0].after_title or name_kind(words[0].text) == "Surn"
    better = _better_greeting(g.phrase, right, lang) if right else ""
    return Hit("greeting.wrong-name", words[0].start, words[-1].end,
               tr(lang, ru=f"В приветствии «{shown}», а письмо адресовано: {addressees}",
                  en=f"The greeting says “{shown}”, but the email is addressed to {addressees}"),
               suggestion=tr(lang, ru=f"Проверьте имя адресата: «{better}»" if better else "Проверьте имя адресата",
                             en=f"Check the recipient's name: “{better}”" if better else "Check the recipient's name"),
               replacements=[right] if right and not surname else [])   # a first name cannot replace a surname


def _check_names(g: Greeting, message: Message, to: list[Recipient], cc: list[Recipient]):
    pool = to if len(g.persons) == 1 else to + cc        # "Мария, Олег, добрый день!" may greet the Cc too
    for person in g.persons:
        words = [w for w in person if name_kind(w.text) != "Patr"]
        if not words or any(r.matches(w.text) for r in pool for w in words):
            continue
        checkable = any((r.surname_known if (w.after_title or name_kind(w.text) == "Surn") else r.first_name_known)
                        for r in pool for w in words)
        if checkable:                                    # info@ without a display name: nothing to compare with
            yield _wrong_name_hit(g, words, person, message, to)


def _missing_hit(line: tuple[int, int], name: str, several: bool, lang: str) -> Hit:
    sample = tr(lang, ru="Коллеги" if several else "Мария", en="team" if several else "Maria")
    example = _better_greeting("", name or sample, lang)
    for_example = not (name or several)                  # the recipient's name is unknown: the name is a sample
    return Hit("greeting.missing", line[0], line[1],
               tr(lang, ru="Письмо начинается без приветствия", en="The email does not open with a greeting"),
               suggestion=tr(lang, ru=f"Начните с обращения{', например' if for_example else ''}: «{example}»",
                             en=f"Open with a greeting{', e.g.' if for_example else ':'} “{example}”"))


def _unnamed_hit(g: Greeting, name: str, lang: str) -> Hit:
    better = _better_greeting(g.phrase, name, lang) if name else ""
    return Hit("greeting.unnamed", g.start, g.end,
               tr(lang, ru="Приветствие без имени адресата", en="The greeting does not name the recipient"),
               suggestion=tr(lang, ru=f"Обратитесь по имени: «{better}»" if better else
                             "Обратитесь по имени, например: «Мария, добрый день!»",
                             en=f"Greet the recipient by name: “{better}”" if better else
                             "Greet the recipient by name, e.g. “Hi Maria,”"),
               replacements=[better] if better else [])


def _find_greeting(message: Message, line: tuple[int, int], pool: list[Recipient]) -> Greeting | None:
    g = parse_greeting(message.text, *line, pool)
    split = message.parts.greeting
    if g is None and split and line[1] < split[0] < message.new_text_end:
        # the splitter saw a greeting below the first line (after a preamble): take it if it parses
        line_end = message.text.find("\n", split[0])
        g = parse_greeting(message.text, split[0], line_end if line_end >= 0 else len(message.text), pool)
    if g and not g.persons and not g.group and message.text[line[0]:line[1]].endswith(","):
        g = _with_address_below(message, g, line[1], pool)
    return g


def _with_address_below(message: Message, g: Greeting, after: int, pool: list[Recipient]) -> Greeting:
    """"Добрый день,\nМария Ивановна!": the address may take the next line."""
    start = after + 1
    end = message.text.find("\n", start, message.new_text_end)
    end = message.new_text_end if end < 0 else end
    line = message.text[start:end]
    segment = line[:_segment_end(line)]
    chunks = [(_words(m.group(), start + m.start()), m) for m in _CHUNK.finditer(segment)]
    below = _bare_address([(ws, m) for ws, m in chunks if ws][:1], start, pool)
    if below and below.persons and len(segment.split()) <= 4:
        return Greeting(g.start, below.end, g.phrase, below.persons, below.group)
    return g


def _hits(message: Message, ctx: Context) -> Iterator[Hit]:
    line = _first_line(message)
    if line is None:
        return                                         # nothing written: nothing to greet with
    to = [recipient(a.name, a.email) for a in message.to]
    cc = [recipient(a.name, a.email) for a in message.cc]
    lang = message.language
    several = len(message.to) + len(message.cc) >= ctx.options["group_min_recipients"]
    name = "" if several else next((n for r in to if (n := suggested_name(r, lang))), "")
    g = _find_greeting(message, line, to + cc)
    if g is None:
        yield _missing_hit(line, name, several, lang)
    elif g.persons:
        yield from _check_names(g, message, to, cc)
    elif not (several or (g.group and not to) or (to and not any(r.first_name_known or r.names for r in to))):
        yield _unnamed_hit(g, name, lang)            # not: a group, or info@ whose owner's name is unknown


def run(message: Message, ctx: Context) -> CheckResult:
    return CheckResult(list(_hits(message, ctx)))


CHECK = Check(name="greeting", title=("Приветствие", "Greeting"),
              doc=__doc__, rules=RULES, run=run, options={"group_min_recipients": 2})
