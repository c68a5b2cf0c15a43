"""Person names: are two spellings the same person? ("Маша" / "Мария" / "Maria" / "masha@").

A name becomes a set of *ids*: script-free keys (Cyrillic is transliterated, spelling variants such as
"iy"/"y", "ks"/"x", "ya"/"ia" collapse), the keys of its dictionary lemmas (pymorphy3: "Ивану" -> "иван",
"Соколова" -> "соколов"), and the key of the full name for a diminutive ("Саша" -> "Александр",
tables in rules/data/<lang>/diminutives.txt). Two names are the same person when their ids meet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mail_lint.rules.support.wordlists import load_list

DATA = Path(__file__).parent.parent / "data"

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
# Longest first: the order in which Latin letter groups become Cyrillic.
_LAT_TO_CYR = [
    ("shch", "щ"), ("sch", "щ"), ("iya", "ия"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("iu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yi", "ый"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("x", "кс"),
    ("y", "й"), ("q", "к"),
]
_LAT_TO_CYR_RE = re.compile("|".join(re.escape(k) for k, _ in _LAT_TO_CYR))
_LAT_TO_CYR_MAP = dict(_LAT_TO_CYR)

_CYRILLIC = re.compile(r"[а-яё]", re.I)
_NON_LATIN = re.compile(r"[^a-z]")
_VOWEL_H = re.compile(r"(?<=[aeiou])h(?=[^aeiouy]|$)")   # John/Джон, Sarah/Сара
_HARD_C = re.compile(r"c(?!h)")
_DOUBLE = re.compile(r"(.)\1+")
_LOCAL_SPLIT = re.compile(r"[._\-+\d]+")
_SURNAME_ENDING = re.compile(r"(ov|ova|ev|eva|in|ina|sky|skiy|skii|skaya|enko|uk|yan|ian)$")
_NAME_TAGS = ("Name", "Surn", "Patr")
_FUZZY_MIN_LEN = 7   # Aleksandr/Aleksander are one edit apart; Мария/Марина must not be


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def to_latin(text: str) -> str:
    """Plain transliteration, for display: "Мария" -> "Maria", "Юлия" -> "Yulia"."""
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if low == "я" and i > 0 and text[i - 1].lower() == "и":
            lat = "a"                                 # Мария -> Maria, not Mariya
        else:
            lat = _CYR_TO_LAT.get(low, ch)
        out.append(lat.capitalize() if ch.isupper() and lat else lat)
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """Rough reverse transliteration: "ivan" -> "иван", "maria" -> "мария"."""
    low = text.lower()
    if low.endswith("ia"):
        low = low[:-2] + "iya"
    return _LAT_TO_CYR_RE.sub(lambda m: _LAT_TO_CYR_MAP[m.group(0)], low)


@lru_cache(maxsize=8192)
def name_key(word: str) -> str:
    """A script-free key: "Дмитрий", "Dmitry", "Dmitriy" -> "dmitri"; "Alexey", "Алексей" -> "aleksei"."""
    w = word.lower().replace("ё", "е")
    w = "".join(_CYR_TO_LAT.get(ch, ch) for ch in w)
    w = _NON_LATIN.sub("", w)
    w = w.replace("dzh", "j").replace("x", "ks").replace("w", "v").replace("ph", "f").replace("th", "t")
    w = _HARD_C.sub("k", w.replace("kh", "h"))       # Victor / Виктор, Jessica / Джессика
    w = _VOWEL_H.sub("", w)
    if w.startswith("ju"):
        w = "iu" + w[2:]                            # Julia / Юлия
    if w.endswith("j"):
        w = w[:-1] + "i"                            # Sergej / Сергей
    w = w.replace("y", "i")
    if w.startswith("ie"):
        w = w[1:]                                   # Yelena / Елена
    return _DOUBLE.sub(r"\1", w)


_morph = None


def morph():
    """The pymorphy3 analyzer, built once on first use (it takes ~0.3 s and ~15 MB)."""
    global _morph
    if _morph is None:
        import pymorphy3
        _morph = pymorphy3.MorphAnalyzer()
    return _morph


@lru_cache(maxsize=8192)
def name_parses(word: str) -> tuple[tuple[str, str, float], ...]:
    """(kind, lemma, score) for the readings of a Cyrillic word as a person's name: kind is Name/Surn/Patr."""
    if not is_cyrillic(word):
        return ()
    out = []
    for p in morph().parse(word):
        if "plur" in p.tag:
            continue                               # "Петров" is also the genitive plural of "Пётр"
        for kind in _NAME_TAGS:
            if kind in p.tag:
                out.append((kind, p.normal_form, p.score))
    return tuple(out)


def name_kind(word: str) -> str | None:
    """Name, Surn or Patr (the most likely reading), or None when the dictionary does not know it as a name."""
    parses = name_parses(word)
    return max(parses, key=lambda p: p[2])[0] if parses else None


def is_known_word(word: str) -> bool:
    return morph().word_is_known(word.lower())


@lru_cache(maxsize=None)
def _diminutive_groups() -> dict[str, frozenset[str]]:
    """key of any form -> keys of the full names it can stand for."""
    groups: dict[str, set[str]] = {}
    for language in ("ru", "en"):
        path = DATA / language / "diminutives.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            full, forms = line.split(":", 1)
            full_key = name_key(full.strip())
            for form in [full, *forms.split(",")]:
                if form.strip():
                    groups.setdefault(name_key(form.strip()), set()).add(full_key)
    return {k: frozenset(v) for k, v in groups.items()}


def known_first_name(word: str) -> bool:
    """A first name the dictionary or the diminutive tables know ("ivan", "masha", "Мария")."""
    if name_key(word) in _diminutive_groups():
        return True
    candidate = word if is_cyrillic(word) else to_cyrillic(word)
    return any(kind == "Name" and score >= 0.3 for kind, _, score in name_parses(candidate.capitalize()))


@lru_cache(maxsize=8192)
def name_ids(word: str) -> frozenset[str]:
    """Every key under which this name can be recognised (itself, its lemmas, the full name of a diminutive)."""
    keys = {name_key(word)}
    keys |= {name_key(lemma) for _, lemma, _ in name_parses(word)}
    groups = _diminutive_groups()
    for key in list(keys):
        keys |= groups.get(key, frozenset())
    keys.discard("")
    return frozenset(keys)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:] or (len(a) == len(b) and a[i + 1:] == b[i + 1:])


def same_name(a: str, b: str) -> bool:
    """"Маша" ~ "Мария" ~ "Maria"; "Aleksandr" ~ "Alexander"; "Мария" !~ "Марина"."""
    ids_a, ids_b = name_ids(a), name_ids(b)
    if ids_a & ids_b:
        return True
    return any(min(len(x), len(y)) >= _FUZZY_MIN_LEN and _within_one_edit(x, y) for x in ids_a for y in ids_b)


# --- recipients ------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_NOT_A_PERSON = frozenset({
    "team", "sales", "support", "department", "dept", "office", "info", "company", "group", "ltd", "llc", "inc",
    "service", "services", "desk", "noreply", "отдел", "команда", "служба", "поддержка", "ооо", "ао", "пао",
    "зао", "ип", "компания", "группа", "бухгалтерия", "приёмная", "приемная", "продаж", "закупок",
})


@dataclass
class Recipient:
    """What one address tells about its owner's name."""

    names: list[str] = field(default_factory=list)       # words of a person-like display name
    local_key: str = ""                                   # the address's local part as a key ("ivanpetrov")
    local_names: list[str] = field(default_factory=list)  # name-like pieces of the local part ("ivan", "petrov")
    initials: set[str] = field(default_factory=set)       # "i" of i.petrov@
    first_name_known: bool = False                        # can a first name in a greeting be checked?
    surname_known: bool = False                           # can a surname ("Dear Ms. Smith") be checked?
    first_name: str = ""                                  # the first name as written, for suggestions
    patronymic: str = ""

    def matches(self, word: str) -> bool:
        """Is `word` (from a greeting) a name of this recipient?"""
        if any(same_name(word, n) for n in self.names + self.local_names):
            return True
        ids = name_ids(word)
        # an unsplit local part ("mariasokolova@") may hide the name inside; a display name knows better
        if self.local_key and not self.names and any(len(i) >= 4 and i in self.local_key for i in ids):
            return True
        # the initial of i.petrov@ is all we know only when no first name is known
        return not self.first_name and any(i[:1] in self.initials for i in ids)


def _display_names(display: str) -> list[str]:
    words = _TOKEN.findall(display)
    if not words or any(w.lower() in _NOT_A_PERSON for w in words):
        return []
    if any(name_kind(w) for w in words):
        return words
    # Latin or unknown words: a person's name is two or three capitalised words ("John Smith").
    if 1 <= len(words) <= 3 and all(w[0].isupper() for w in words):
        if len(words) >= 2 or known_first_name(words[0]):
            return words
    return []


def _role_mailbox(local: str) -> bool:
    return local in load_list("en", "role_mailboxes") or local in load_list("ru", "role_mailboxes")


@lru_cache(maxsize=4096)
def recipient(display: str, address: str) -> Recipient:
    r = Recipient()
    r.names = _display_names(display)
    for w in r.names:
        kind = name_kind(w)
        if kind == "Name" and not r.first_name:
            r.first_name = w
        elif kind == "Patr" and r.first_name and not r.patronymic:
            r.patronymic = w
    if r.names and not r.first_name and not is_cyrillic(r.names[0]):
        r.first_name = r.names[0]                       # "John Smith": Latin display names put the first name first
    r.first_name_known = bool(r.first_name) or (len(r.names) >= 2)
    r.surname_known = len(r.names) >= 2 or any(name_kind(w) == "Surn" for w in r.names)
    local = address.split("@", 1)[0].lower()
    if local and not _role_mailbox(local):
        pieces = [p for p in _LOCAL_SPLIT.split(local) if p]
        r.local_key = name_key(local) if len(pieces) == 1 else ""
        r.initials = {name_key(p) for p in pieces if len(p) == 1 and p.isalpha()}
        for i, p in enumerate(pieces):
            if len(p) < 2 or _role_mailbox(p):
                continue
            first = known_first_name(p)
            dotted = len(pieces) == 2 and min(len(x) for x in pieces) >= 2        # john.smith@
            dotted_first = dotted and i == 0
            if first or dotted or _SURNAME_ENDING.search(p) or name_kind(to_cyrillic(p).capitalize()):
                r.local_names.append(p)
                if not (first or dotted_first) or (dotted and i == 1):
                    r.surname_known = True
                if first or dotted_first:
                    r.first_name_known = True
                    if not r.first_name:
                        r.first_name = p.capitalize()
        if r.initials and r.local_names:
            r.first_name_known = True                  # i.petrov@: the initial can be checked
    return r


def suggested_name(r: Recipient, language: str) -> str:
    """The recipient's name as a greeting should say it: "Мария", "Иван Петрович", "Maria"."""
    if not r.first_name:
        return ""
    if language == "ru":
        name = r.first_name
        if not is_cyrillic(name):
            cyr = to_cyrillic(name).capitalize()
            name = cyr if known_first_name(cyr) else name
        return f"{name} {r.patronymic}" if r.patronymic else name
    return to_latin(r.first_name) if is_cyrillic(r.first_name) else r.first_name
