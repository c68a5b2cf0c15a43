"""Grammar and spelling, by a LanguageTool server, on what the author wrote.

**What it checks.** The greeting and the body (not the signature, not the quoted history) go to
LanguageTool in the message's language: `ru-RU`, or for English the variant in `variant`, else the one
of the first recipient's country domain (`.uk`, `.gb`, `.ie`: en-GB; `.au`: en-AU; `.ca`: en-CA; `.nz`:
en-NZ; `.za`: en-ZA), else en-US. Each match becomes a finding on the exact words:
`spelling.<LanguageTool rule id>` for misspellings (LanguageTool's `TYPOS` category),
`grammar.<LanguageTool rule id>` for the rest, with LanguageTool's message and up to five replacements.
Never misspellings: hyphenated Russian compounds whose every part is a dictionary word («сплит-систем»,
«онлайн-оплата»), tokens with digits (product codes, numbers with units), e-mail addresses and links,
and the dictionaries (below) in any inflected form.

**Why.** A typo in the client's name or "в течении месяца" in a quote for 2 million roubles tells the
client how carefully the rest was done.

**Example.** «Ответим в течении месяца, не смотря на праздники.» / "Their is a problem with the invoice."

**Better.** «Ответим в течение месяца, несмотря на праздники.» / "There is a problem with the invoice."

**Severity** follows LanguageTool's issue type: misspelling: `error`; grammar and other real mistakes:
`warning`; style, typography and whitespace: `suggestion`. A misspelling that is only a suspicion, most
likely a name (a capitalised word inside a sentence, a word in capitals, a Latin word in Russian text), is
a `warning`: it does not hold the send.

**The shortened email** applies a match's replacement only when it is sure (`safe_fix`): LanguageTool offers
exactly one, the match is a misspelling it is sure of (an `error`, not a suspected name) or a punctuation
mark, the flagged words are on one line, not capitalised and without digits (a name, a product, a code), and
the replacement has as many words. Everything else stays advice.

**Options** (`[grammar]`):
- `url`: an existing LanguageTool server (the company's own, or `https://api.languagetool.org`);
  empty: a local one (`mail-lint languagetool install`, then `serve`/`watch` start it, or
  `mail-lint languagetool start` runs one that every process shares).
- `words`, `words_file` (a UTF-8 file, one entry per line, `#` comments): the company dictionary. The
  company's, its products' and its clients' names are never misspellings; a word of a multi-word
  entry ("Солар" of "Альфа Солар") counts too, in any case and inflected form. The `[signature] company`
  names are added, and so are the words of the team's dictionary in the store (`/v1/dictionary`).
- `variant`: the English LanguageTool checks against (`en-US`, `en-GB`, `en-AU`, `en-CA`, `en-NZ`,
  `en-ZA`); empty: from the recipient's country domain, else en-US.
- `timeout` (seconds, default 5): how long one check may take.
- `disabled_rules`: LanguageTool rules that only make noise on plain-text mail, off by default:
  `WHITESPACE_RULE`, `CONSECUTIVE_SPACES` (double spaces, aligned text), `HYPHEN_TO_EN`, `DASH_RULE`
  (hyphen instead of a dash), `EN_QUOTES` (straight quotes), `Punct_and_spaces` (Russian: flags
  emoticons like ":)"), `TYPOGRAF_SYMBOL` (Russian typographic symbols), `MISSING_PUNCT_IN_BULLET`
  (Russian: punctuation at the end of list items). Replace the list to change it.
- `enable_rules`: LanguageTool rules to turn on, including ones from `disabled_rules`.

**When LanguageTool is down or slow** (no answer within `timeout`, connection refused, not installed),
the check reports status `unavailable` with the reason; it never invents a finding. `passed` then
means "no error among the checks that ran": a message can pass with grammar unchecked, so a pre-send
gate that must have grammar should look at `checks.grammar.status` as well.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from mail_lint.checks import Check, CheckResult, CheckUnavailable, Context, Hit, Rule, tr
from mail_lint.errors import ConfigError
from mail_lint.model import Message
from mail_lint.text import count_words

from .support.lemmas import known_ru, lemma_candidates

RULES = (
    Rule("EM601", "grammar.*", "warning",
         "A grammar, punctuation or style mistake found by LanguageTool (the name carries its rule id).",
         label=("грамматика", "grammar"),
         why="Mistakes in a business email make the client doubt the care taken over the deal itself.",
         bad="Поставим панели в течении месяца, не смотря на праздники.",
         better="Поставим панели в течение месяца, несмотря на праздники."),
    Rule("EM602", "spelling.*", "error",
         "A misspelled word found by LanguageTool's spell checker (the name carries its rule id).",
         label=("орфография", "spelling"),
         why="A typo is the first thing a reader notices and the last thing a sender should have left.",
         bad="Жду ответа до пятници. / I didn't recieve the invoice.",
         better="Жду ответа до пятницы. / I didn't receive the invoice."),
)

LT_LANGUAGES = {"ru": "ru-RU", "en": "en-US"}
ENGLISH_VARIANTS = ("en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA")
# A recipient's country domain tells which English they read (Ireland spells as Britain does).
COUNTRY_VARIANTS = {"uk": "en-GB", "gb": "en-GB", "ie": "en-GB", "au": "en-AU", "ca": "en-CA", "nz": "en-NZ",
                    "za": "en-ZA"}
# What a speller cannot judge: addresses, links, and tokens with digits (product codes, numbers with units).
_NOT_WORDS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|\S*\d\S*")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")
_CYRILLIC_PARTS = re.compile(r"^[а-яё]+(?:-[а-яё]+)+$")
# Before a sentence's first word: its end mark, a line break (a greeting line, a list), or nothing.
_SENTENCE_END = re.compile(r"[.!?…]\s*$|\n\s*$|^\s*$")
DEFAULT_DISABLED = ["WHITESPACE_RULE", "CONSECUTIVE_SPACES", "HYPHEN_TO_EN", "DASH_RULE", "EN_QUOTES",
                    "Punct_and_spaces", "TYPOGRAF_SYMBOL", "MISSING_PUNCT_IN_BULLET"]
_SPELLING_CATEGORIES = {"TYPOS"}
_SPELLING_RULE = re.compile(r"^(MORFOLOGIK_RULE|HUNSPELL_RULE|SPELLER_RULE)|_SPELLER_RULE$|SPELLING")
_SUGGESTION_TYPES = {"style", "typographical", "whitespace", "locale-violation", "register", "characters"}
_WARNING_CATEGORIES = {"GRAMMAR", "CONFUSED_WORDS", "PUNCTUATION", "SEMANTICS", "LOGIC", "COMPOUNDING", "CASING",
                       "MISC"}


def rule_name(rule_id: str, category: str) -> str:
    spelling = category in _SPELLING_CATEGORIES or _SPELLING_RULE.search(rule_id)
    return f"{'spelling' if spelling else 'grammar'}.{rule_id}"


def severity(issue_type: str, category: str) -> str:
    """LanguageTool's issue type decides; many Russian rules say `uncategorized`, then the category does."""
    if issue_type == "misspelling" or (issue_type in ("", "uncategorized", "other") and category == "TYPOS"):
        return "error"
    if issue_type in _SUGGESTION_TYPES:
        return "suggestion"
    if issue_type in ("uncategorized", "other", ""):
        return "warning" if category in _WARNING_CATEGORIES else "suggestion"
    return "warning"  # grammar, duplication, inconsistency, ...


def _normalise(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@lru_cache(maxsize=32)
def _words_file(path: str, mtime: float) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(e for e in (ln.split("#", 1)[0].strip() for ln in lines) if e)


def _validate(options: dict, config_dir: Path | None) -> None:
    """The dictionary file must be readable when the config is loaded (later it may change: see run)."""
    if path := options["words_file"]:
        try:
            Path(path).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"grammar.words_file: cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    if options["variant"] not in ("", *ENGLISH_VARIANTS):
        raise ConfigError(f"grammar.variant: {options['variant']!r} is not one of {', '.join(ENGLISH_VARIANTS)}")


def company_words(ctx: Context) -> frozenset[str]:
    """The company dictionary, normalised: entries and each word of the multi-word ones."""
    entries = list(ctx.options.get("words", []))
    if path := ctx.options.get("words_file"):
        try:
            entries += _words_file(str(Path(path).expanduser()), Path(path).expanduser().stat().st_mtime)
        except (OSError, UnicodeDecodeError) as e:
            raise CheckUnavailable(f"grammar.words_file {path}: {getattr(e, 'strerror', None) or e}") from None
    entries += list(ctx.company)
    words = set()
    for entry in entries:
        norm = _normalise(entry)
        words.add(norm)
        words.update(w for w in re.split(r"[\s\-–—\"«»“”'’.,]+", norm) if w)
    return frozenset(words)


def _lemmas(word: str, language: str) -> frozenset[str]:
    """The word and its dictionary forms, so a dictionary entry covers every inflected form."""
    return lemma_candidates(word, language) | lemma_candidates(word, "ru" if language == "en" else "en")


def _is_company_word(covered: str, words: frozenset[str], language: str) -> bool:
    norm = _normalise(covered).strip("\"'«»“”.,")
    if not norm:
        return False
    if norm in words:
        return True
    known = _dictionary_lemmas(words)
    return any(lemma in known for lemma in _lemmas(norm, language))


@lru_cache(maxsize=64)
def _dictionary_lemmas(words: frozenset[str]) -> frozenset[str]:
    """Dictionary forms of every entry (an entry may itself be inflected, e.g. a dismissed «Зентрикса»)."""
    return frozenset(lemma for word in words if " " not in word for lemma in _lemmas(word, "ru"))


def english_variant(message: Message, options) -> str:
    """`[grammar] variant`, else the country domain of the first recipient that has one, else en-US."""
    if options.get("variant"):
        return options["variant"]
    for address in [*message.to, *message.cc]:
        domain = address.email.rsplit("@", 1)[-1].lower().rstrip(".")
        if variant := COUNTRY_VARIANTS.get(domain.rsplit(".", 1)[-1]):
            return variant
    return "en-US"


def _not_a_word(text: str, start: int, end: int) -> bool:
    """The flagged span lies in an address, a link or a token with digits."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return any(m.start() <= start and end <= m.end() for m in _NOT_WORDS.finditer(text, line_start, line_end))


def _known_compound(word: str) -> bool:
    """A hyphenated Russian compound whose every part is a dictionary word: «сплит-систем», «онлайн-оплата»."""
    norm = _normalise(word)
    return bool(_CYRILLIC_PARTS.match(norm)) and all(known_ru(part) for part in norm.split("-"))


def _suspicion_only(text: str, start: int, word: str, language: str) -> bool:
    """A spelling match that may well be a name, not a typo: a capitalised word inside a sentence
    (or in capitals), or a Latin word in Russian text. Such a match warns instead of blocking the send."""
    if language == "ru" and _LATIN.match(word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    return word[:1].isupper() and not _SENTENCE_END.search(text[max(0, start - 3):start])


def _suggestion(language: str, replacements: list[str]) -> str:
    if not replacements:
        return ""
    shown = ", ".join(replacements[:3])
    return tr(language, ru=f"Возможно: {shown}", en=f"Perhaps: {shown}")


# LanguageTool categories whose single replacement the rewrite may apply (see `safe_fix`).
_FIXABLE_CATEGORIES = {"TYPOS", "PUNCTUATION"}


def safe_fix(flagged: str, replacements: list[str], category: str, level: str) -> str | None:
    """The replacement the shortened email may apply, or None (it stays advice). Only a sure thing: the
    single replacement LanguageTool offers, for a misspelling it is sure of (not a suspected name) or a
    punctuation mark, on one line, with as many words as the flagged text (a fix neither pads nor cuts the
    email: the words the rewrite saves are the wordiness check's), and never on a capitalised word or a
    token with digits, which may be a name, a product or a code."""
    if len(replacements) != 1 or category not in _FIXABLE_CATEGORIES:
        return None
    if category == "TYPOS" and level != "error":
        return None
    fix = replacements[0]
    if "\n" in flagged or any(c.isdigit() for c in flagged + fix) or any(w[:1].isupper() for w in flagged.split()):
        return None
    return fix if count_words(fix) == count_words(flagged) else None


def _hits(message: Message, ctx: Context) -> Iterator[Hit]:
    client = ctx.services.languagetool
    if client is None:
        raise CheckUnavailable("LanguageTool is not configured")
    start, end = message.writing
    text = message.text[start:end]
    if not text.strip():
        return
    options = ctx.options
    enabled = list(options.get("enable_rules", []))
    disabled = [r for r in options.get("disabled_rules", DEFAULT_DISABLED) if r not in enabled]
    words = company_words(ctx)
    language = LT_LANGUAGES.get(message.language, "ru-RU")
    if language == "en-US":
        language = english_variant(message, options)
    # The dictionaries filter LanguageTool's answer afterwards, so that answer depends on the text alone.
    matches = client.check(text, language, disabled_rules=disabled, enabled_rules=enabled)
    for m in matches:
        flagged = text[m.start:m.end]
        if m.end <= m.start or _is_company_word(flagged, words, message.language):
            continue
        name = rule_name(m.rule_id, m.category)
        level = severity(m.issue_type, m.category)
        if name.startswith("spelling."):
            if _not_a_word(text, m.start, m.end) or _known_compound(flagged):
                continue
            if level == "error" and _suspicion_only(text, m.start, flagged, message.language):
                level = "warning"
        yield Hit(name, start + m.start, start + m.end, m.message,
                  suggestion=_suggestion(message.language, m.replacements),
                  replacements=m.replacements[:5], severity=level,
                  fix=safe_fix(flagged, m.replacements, m.category, level))


def run(message: Message, ctx: Context) -> CheckResult:
    return CheckResult(list(_hits(message, ctx)))


CHECK = Check(name="grammar", title=("Грамматика", "Grammar"),
              doc=__doc__, rules=RULES, run=run,
              options={"url": "", "words": [], "words_file": "", "variant": "", "timeout": 5.0,
                       "disabled_rules": list(DEFAULT_DISABLED), "enable_rules": []},
              validate=_validate)
