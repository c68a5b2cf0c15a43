"""Wordiness: words the reader could be spared.

What it checks
    Stop words and phrases that can go or be said shorter: bureaucratese ("осуществить оплату" →
    "оплатить", "in order to" → "to"), fillers ("как бы", "basically"), time parasites ("в настоящее время"
    → "сейчас"), empty intensifiers and evaluations ("очень", "уникальный"), corporate clichés ("широкий
    спектр", "индивидуальный подход"), weak modality ("хотелось бы", "I just wanted to"), pleonasms
    ("свободная вакансия", "end result"), long openers ("Пишу вам, чтобы сообщить, что", "I am writing to
    let you know that"), courtesy that delays the request ("Будем признательны, если вы", "I would
    appreciate it if you could"), passive officialese ("нами было принято решение" → "мы решили"), hedges
    ("I think": suggested, never deleted for you) and a list announced in words ("счёт на следующие
    позиции:"). Deleting a sentence's first words capitalises the next one. Also sentences over a word
    limit and emails over a length limit. Only the greeting and body are read: never the signature or the
    quoted history.

Why it matters
    A client reads a sales email in seconds. Every empty word delays the point, and stock phrases make the
    email read like a template. The number of words that can go without loss (`stats.removable_words`) is
    the plainest measure of conciseness; `stats.readability` adds Flesch reading ease (textstat).

Bad
    В настоящее время мы осуществили оплату и хотелось бы в кратчайшие сроки получить документы.

Better
    Мы оплатили счёт. Пришлите, пожалуйста, документы до пятницы.

Options
    `[wordiness] max_sentence_words` (default 25): longer sentences get `wordiness.long-sentence`.
    `max_words` (default 250): a longer text (greeting + body) gets `wordiness.too-long`.
    `lists`: paths of a company's own phrase files (format in rules/support/phrases.py; relative to the config file).
    `extra_phrases`: phrases right in the config, per language:
    `[wordiness.extra_phrases.ru]` `"по факту" = ""`.

The shortened email
    A phrase whose shorter form fits the sentence as it stands (a Russian form that agrees with it, a
    deletion that leaves a whole sentence, tidied: commas, spaces, the next word capitalised) carries a
    `fix`, which the verdict's `rewrite` applies. Where the better wording cannot be put in as it stands
    (no agreeing form: «о принятом решении» never becomes «о решить»; a date only the writer knows: «в
    кратчайшие сроки»; a word that may be part of a name or a quoted title), the finding is advice and
    changes nothing.

Score
    conciseness = 100 × (1 − removable / words)³ − 5 × long sentences, floored at 0, where removable is
    `stats.removable_words`: the words the shortened email saves (before − after), advice saves none.
    The cube makes a few spare words cost little and many cost a lot, as an editor would judge: one word in
    twenty spare gives 86, one in ten 73, one in five 51 (Glavred's scale falls about as fast). Long sentences
    take the usual suggestion penalty; the engine subtracts warnings (too-long) on top.
"""
from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.errors import ConfigError
from mail_lint.model import Message
from mail_lint.rewrite import build as build_rewrite
from mail_lint.rules.support.lemmas import Token, normalize, parse_ru, parses_ru, tokenize
from mail_lint.rules.support.phrases import Match, opens_sentence, phrase_index
from mail_lint.rules.support.readability import flesch_reading_ease

RULES = (
    Rule("EM301", "wordiness.stop-word", "suggestion",
         "A word or phrase that can go or be said shorter: bureaucratese, filler, cliché, empty intensifier.",
         label=("лишние слова", "words that can go"),
         why="Empty words delay the point and make a sales email read like a template.",
         bad="В настоящее время мы осуществили оплату счёта.", better="Мы оплатили счёт."),
    Rule("EM302", "wordiness.long-sentence", "suggestion",
         "A sentence longer than `max_sentence_words` words (default 25).",
         label=("длинные предложения", "long sentences"),
         why="A reader skimming on a phone loses the thread of a long sentence; split it where the idea turns.",
         bad="Направляем вам коммерческое предложение, которое подготовили с учётом ваших пожеланий, "
             "высказанных на встрече, и которое включает монтаж, доставку и гарантийное обслуживание на пять лет.",
         better="Направляем коммерческое предложение с учётом ваших пожеланий. В цену входят монтаж, доставка "
                "и пять лет гарантии."),
    Rule("EM303", "wordiness.too-long", "warning",
         "The new text (greeting and body) is longer than `max_words` words (default 250).",
         label=("слишком длинное письмо", "email too long"),
         why="Long emails get skimmed or postponed; details belong in an attachment or a call.",
         bad="A 600-word email retelling the whole proposal.",
         better="Five sentences: what, why it matters to them, the price, the next step and its date."),
)

OPTIONS = {"max_sentence_words": 25, "max_words": 250, "lists": [], "extra_phrases": {}}
SCORE_EXPONENT = 3
LONG_SENTENCE_COST = 5

CATEGORY = {
    "bureaucratese": ("Канцелярит", "Wordy phrase"),
    "filler": ("Слово-паразит", "Filler"),
    "hedge": ("Неуверенность", "Hedge"),
    "opener": ("Долгое вступление", "Long opener"),
    "courtesy": ("Лишняя вежливость", "Wordy courtesy"),
    "time": ("Лишние слова о времени", "Time filler"),
    "intensifier": ("Пустой усилитель", "Empty intensifier"),
    "evaluation": ("Оценка без фактов", "Claim without facts"),
    "cliche": ("Штамп", "Cliché"),
    "modality": ("Слабая модальность", "Weak modality"),
    "pleonasm": ("Плеоназм", "Redundancy"),
    "company": ("Стоп-слово компании", "Company stop word"),
}

# Where a sentence ends: terminal punctuation, a blank line, or a line break before a line that does not
# continue the sentence (a wrapped line continues in lower case).
# (A run of stops is matched from its first one only: "....a" would otherwise be rescanned from each dot.)
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"»”')]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*[^\sa-zа-яё])")


# --- Russian replacements in the form the text needs ---------------------------------------------------

_VERBAL, _ADJECTIVAL, _NOMINAL = {"INFN", "VERB"}, {"ADJF", "PRTF"}, {"NOUN"}


def _grammemes(tag) -> set[str]:
    if tag.POS == "VERB":
        wanted = (tag.tense, tag.number, tag.person, tag.gender, tag.mood, tag.involvement)
    elif tag.POS in _ADJECTIVAL:
        wanted = (tag.case, tag.number, tag.gender if tag.number == "sing" else None, tag.animacy)
    elif tag.POS in _NOMINAL:
        wanted = (tag.case, tag.number)
    else:
        wanted = ()
    return {str(g) for g in wanted if g} - {"indc"}


def _inflect_ru(shorter: str, tokens: tuple[Token, ...]) -> str | None:
    """'оплатить' for 'осуществили оплату' -> 'оплатили'. None when the form cannot be built safely."""
    if len(shorter.split()) != 1:
        return None
    word = normalize(shorter)
    pairs = ((target, source) for group in (_VERBAL, _ADJECTIVAL, _NOMINAL)
             # only a dictionary form is safe to inflect ("мочь" the verb, not the noun)
             for target in parses_ru(word) if target.tag.POS in group and normalize(target.normal_form) == word
             for source in (parse_ru(t.norm) for t in tokens) if source.tag.POS in group)
    target, source = next(pairs, (None, None))
    if source is None:
        return None
    wanted = _grammemes(source.tag)
    if not wanted:
        return shorter
    form = target.inflect(wanted)
    if form is None and "pres" in wanted and "perf" in target.tag:  # a perfective verb has no present
        form = target.inflect(wanted - {"pres"} | {"futr"})
    return form.word if form else None


def _shorter_form(match: Match, language: str) -> tuple[str, bool]:
    """The shorter form in the text's grammatical form, and whether it is a drop-in replacement."""
    phrase = match.phrase
    if not phrase.shorter:
        return "", phrase.replace
    shorter, drop_in = phrase.shorter, phrase.replace
    if not match.as_written:
        inflected = _inflect_ru(phrase.shorter, match.tokens) if language == "ru" else None
        shorter, drop_in = (inflected, drop_in) if inflected else (phrase.shorter, False)
    if match.tokens[0].text[:1].isupper() and not phrase.text[:1].isupper():
        shorter = shorter[:1].upper() + shorter[1:]
    return shorter, drop_in


def _deletion_span(text: str, start: int, end: int) -> tuple[int, int]:
    """What to delete so the sentence stays tidy: the phrase with its commas and one space."""
    after = re.match(r",?[ \t]+|,(?=\s)", text[end:end + 3])
    before = re.search(r",[ \t]*$", text[max(0, start - 3):start])
    if before and text[end:end + 1] == ",":       # "мы, собственно, готовы" -> "мы готовы"
        return start - len(before.group()), end + 1
    if after:
        return start, end + len(after.group())
    space_before = re.search(r"[ \t]+$", text[max(0, start - 8):start])
    if space_before:                              # "это очень." -> "это.", not "это ."
        return start - len(space_before.group()), end
    return start, end


_ENGLISH_I = re.compile(r"I(?:['’]\w+)?$")


def _names_inside(match: Match, text: str) -> bool:
    """A matched word that may be part of a name: capitalised where no sentence starts, or inside quotes
    («Лучший дом», "Best Solar"). A rewrite never edits names; the hit stays advice there."""
    for token in match.tokens:
        if token.text[:1].isupper() and not opens_sentence(text, token.start) and not _ENGLISH_I.match(token.text):
            return True
    line_start = text.rfind("\n", 0, match.start) + 1
    before = text[line_start:match.start]
    return before.count("«") > before.count("»") or before.count("\"") % 2 == 1


def _stop_word(match: Match, message: Message) -> Hit:
    lang, phrase = message.language, match.phrase
    written = message.text[match.start:match.end]
    shorter, drop_in = _shorter_form(match, lang)
    ru_label, en_label = CATEGORY.get(phrase.category, (phrase.category, phrase.category))
    label = tr(lang, ru=ru_label, en=en_label)
    if shorter:
        text = tr(lang, ru=f"{label}: «{written}» → «{shorter}»", en=f"{label}: “{written}” → “{shorter}”")
        suggestion = shorter
    elif phrase.note and not drop_in:  # nothing to put in its place: say what would be better
        text = tr(lang, ru=f"{label}: «{written}»", en=f"{label}: “{written}”")
        suggestion = phrase.note
    else:
        text = tr(lang, ru=f"{label}: «{written}» можно убрать", en=f"{label}: “{written}” can be deleted")
        suggestion = tr(lang, ru="убрать", en="delete")
    if phrase.note:
        text += f" — {phrase.note}"
    start, end = match.start, match.end
    replacement = shorter
    if drop_in and not shorter:
        start, end = _deletion_span(message.text, start, end)
        # "Сообщаем, что склад закрыт" -> "Склад закрыт": the next word now opens the sentence
        if opens_sentence(message.text, start) and message.text[end:end + 1].islower():
            replacement, end = message.text[end].upper(), end + 1
    fix = replacement if drop_in and not _names_inside(match, message.text) else None
    return Hit("wordiness.stop-word", start, end, text, suggestion=suggestion,
               replacements=[replacement] if drop_in else [], fix=fix)


# --- sentences and length ----------------------------------------------------------------------------

def sentences(text: str, tokens: list[Token], start: int, end: int,
              breaks: tuple[int, ...] = ()) -> list[list[Token]]:
    """Tokens grouped by sentence; `breaks` are extra boundaries (the end of the greeting)."""
    bounds = sorted({m.end() for m in _SENTENCE_END.finditer(text, start, end)} | set(breaks))
    groups: dict[int, list[Token]] = {}
    for t in tokens:
        groups.setdefault(bisect.bisect_right(bounds, t.start), []).append(t)
    return list(groups.values())


def words_ru(n: int) -> str:
    """'21 слово', '34 слова', '37 слов'."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} слово"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} слова"
    return f"{n} слов"


def _long_sentence(words: list[Token], limit: int, message: Message) -> Hit:
    n = len(words)
    return Hit("wordiness.long-sentence", words[0].start, words[-1].end,
               tr(message.language, ru=f"В предложении {words_ru(n)} (предел {limit}): разбейте его на два-три",
                  en=f"A sentence of {n} words (limit {limit}): split it in two or three"),
               suggestion=tr(message.language, ru="Одна мысль — одно предложение",
                             en="One idea per sentence"))


def _too_long(tokens: list[Token], limit: int, message: Message) -> Hit:
    n = len(tokens)
    return Hit("wordiness.too-long", tokens[limit].start, tokens[-1].end,
               tr(message.language, ru=f"В письме {words_ru(n)} (предел {limit}): сократите до главного",
                  en=f"The email has {n} words (limit {limit}): cut it to the point"),
               suggestion=tr(message.language, ru="Детали — во вложение или на звонок",
                             en="Move details to an attachment or a call"))


# --- the check ---------------------------------------------------------------------------------------

def conciseness_score(removable: int, words: int, long_sentences: int = 0) -> float:
    """100 × (1 − removable/words)^3 − 5 × long sentences, in 0..100 (see the module docstring)."""
    base = 100.0 * (1 - min(removable, words) / words) ** SCORE_EXPONENT if words else 100.0
    return max(0.0, base - LONG_SENTENCE_COST * long_sentences)


def _company_lists(options: dict, config_dir: Path | None) -> tuple[str, ...]:
    """The company's phrase files, relative to the config file's folder."""
    base = config_dir or Path.cwd()
    return tuple(str(base / p) for p in options.get("lists", []))


def _extra_phrases(options: dict, language: str) -> str:
    """`extra_phrases` for this language as canonical JSON (a cache key); bad shapes are a ConfigError."""
    extra = options.get("extra_phrases", {})
    for key, table in extra.items():
        if key not in ("ru", "en") or not isinstance(table, dict):
            raise ConfigError(f"wordiness.extra_phrases: expected tables per language "
                              f"([wordiness.extra_phrases.ru]), got {key!r}")
    return json.dumps(extra.get(language, {}), ensure_ascii=False, sort_keys=True)


def _validate(options: dict, config_dir: Path | None) -> None:
    """Builds both languages' phrase indexes once when the company adds phrases: a bad list file or
    phrase is a ConfigError at load."""
    if not (options["lists"] or options["extra_phrases"]):
        return
    for language in ("ru", "en"):
        phrase_index(language, _company_lists(options, config_dir), _extra_phrases(options, language))


def run(message: Message, ctx: Context) -> CheckResult:
    lang = message.language
    start, end = message.writing
    options = {**OPTIONS, **ctx.options}
    tokens = tokenize(message.text, lang, start, end)
    index = phrase_index(lang, _company_lists(options, ctx.config_dir), _extra_phrases(options, lang))
    hits: list[Hit] = []

    for match in index.find(tokens, message.text):
        hits.append(_stop_word(match, message))

    greeting_end = (message.parts.greeting[1],) if message.parts.greeting else ()
    long_sentences = 0
    for words in sentences(message.text, tokens, start, end, greeting_end):
        if len(words) > options["max_sentence_words"]:
            long_sentences += 1
            hits.append(_long_sentence(words, options["max_sentence_words"], message))
    if len(tokens) > options["max_words"]:
        hits.append(_too_long(tokens, options["max_words"], message))

    # A disabled rule neither counts in the stats nor costs points.
    if not ctx.rule_enabled("wordiness.long-sentence"):
        long_sentences = 0
    # Alone, the words this check's own fixes save; in a verdict, the words the whole rewrite saves
    # (`stats.removable_words`, which a disabled stop-word rule leaves at 0).
    own = build_rewrite(message, hits).removable_words if ctx.rule_enabled("wordiness.stop-word") else 0
    words = len(tokens)
    return CheckResult(hits, score=conciseness_score(own, words, long_sentences),
                       stats={"readability": flesch_reading_ease(message.text[start:end], lang)},
                       rescore=lambda stats: conciseness_score(stats["removable_words"], words, long_sentences))

CHECK = Check(name="wordiness", title=("Краткость", "Conciseness"),
              doc=__doc__, rules=RULES, run=run, options=OPTIONS,
              validate=_validate)
