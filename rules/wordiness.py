"""Wordiness: words the reader could be spared.

What it checks
    Stop words and phrases that can go or be said shorter: bureaucratese ("осуществить оплату" →
    "оплатить", "in order to" → "to"), fillers ("как бы", "basically"), time parasites ("в настоящее время"
    → "сейчас"), empty intensifiers and evaluations ("очень", "уникальный"), corporate clichés ("широкий
    спектр", "индивидуальный подход"), weak modality ("хотелось бы", "I just wanted to"), pleonasms
    ("свободная вакансия", "end result"), long openers ("Пишу вам, чтобы сообщить, что", "I am writing to
    let you know that"), courtesy that delays the request ("Будем признательны, если вы", "I would
    appreciate it if you could"), passive officialese ("нами было принято решение" → "мы решили"), hedges
    ("I think": advice; the shortened email drops one only before the writer's own proposal, "I think we
    should meet" → "We should meet", where the modal already says it is a proposal: on a fact only the
    writer knows whether they are sure) and a list announced in words ("счёт на следующие позиции:").
    Constructions whose better wording depends on their verb are rewritten with the verb inflected to agree
    (rules/support/rephrase.py: «Просьба уточнить» → «Уточните», «Будем признательны, если вы пришлёте» →
    «Пришлите, пожалуйста», «Наши специалисты свяжутся» → «Мы свяжемся»). Also sentences over a word
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
    fix, which the verdict's `rewrite` applies. Where the better wording cannot be put in as it stands
    (no agreeing form: «о принятом решении» never becomes «о решить»; an object that would need another
    case: «осуществили оплату счёта» is not «оплатили счёта»; a date only the writer knows: «в кратчайшие
    сроки»; a word that may be part of a name or a quoted title), the finding is advice and changes
    nothing. Lists say more with `delete`, `delete_sentence`, `delete_tail` and `not_before` (format in
    rules/support/phrases.py).

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

from mail_lint.checks import Change, Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.errors import ConfigError
from mail_lint.model import Message
from mail_lint.rewrite import build as build_rewrite
from mail_lint.text import WORD
from mail_lint.rules.support.lemmas import Token, normalize, parse_ru, parses_ru, tokenize
from mail_lint.rules.support.phrases import Match, opens_sentence, phrase_index
from mail_lint.rules.support.rephrase import Rephrasing, rephrasings
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
    """What to delete so the sentence stays tidy: the phrase with its commas and one space. A comma after
    a phrase inside a sentence closes the clause before it, so it stays: "review it when you have time, then"
    → "review it, then"."""
    after = re.match(r",?[ \t]+|,(?=\s)", text[end:end + 3])
    before = re.search(r",[ \t]*$", text[max(0, start - 3):start])
    if before and text[end:end + 1] == ",":       # "мы, собственно, готовы" -> "мы готовы"
        return start - len(before.group()), end + 1
    if before and re.match(r"[ \t]*(?:[.!?…;:)]|\n|$)", text[end:end + 3]):
        return start - len(before.group()), end   # ends the clause: "отправьте нам, любым способом." -> "нам."
    if after and (not after.group().startswith(",") or opens_sentence(text, start)):
        return start, end + len(after.group())
    space_before = re.search(r"[ \t]+$", text[max(0, start - 8):start])
    if space_before:                              # "это очень." -> "это.", "it when you can, then" -> "it, then"
        return start - len(space_before.group()), end
    if after:
        return start, end + len(after.group())
    return start, end


def _deletion(text: str, start: int, end: int) -> Change:
    """The tidy deletion of text[start:end]; at a sentence's start the next word gets its capital
    ("Сообщаем, что склад закрыт" -> "Склад закрыт")."""
    start, end = _deletion_span(text, start, end)
    if opens_sentence(text, start) and text[end:end + 1].islower():
        return Change(start, end + 1, text[end].upper())
    return Change(start, end, "")


_END_MARKS = re.compile(r"[ \t]*[.!?…]*")
_SPACES = re.compile(r"[ \t]*")


def _sentence_tail(text: str, end: int, limit: int) -> int | None:
    """Where the sentence that ends at `end` stops: after its end mark and the spaces that follow (then
    another sentence or the line's end comes), or None when more of the sentence follows."""
    marks = _END_MARKS.match(text, end, limit).end()
    after = _SPACES.match(text, marks, limit).end()
    if after == limit or text[after] == "\n":
        return marks
    return after if after > marks and text[marks - 1:marks] in ".!?…" and marks > end else None


def _sentence_deletion(text: str, start: int, end: int, limit: int) -> Change | None:
    """The whole sentence the phrase makes up, with its end mark; a sentence alone on its line takes the
    line with it. `limit` is where the writing ends: the change stays inside it."""
    if not opens_sentence(text, start):
        return None
    tail = _sentence_tail(text, end, limit)
    if tail is None:
        return None
    line_start = text.rfind("\n", max(0, start - 200), start) + 1
    if text[tail:tail + 1] not in ("\n", ""):               # another sentence follows on the line
        return Change(start, tail, "")
    if line_start == 0 and start > 200 or text[line_start:start].strip():  # the line's last sentence
        return Change(_back_over(text, start, " \t"), tail, "")
    if tail < limit and _SPACES.match(text, tail + 1, limit).end() < limit and text[tail + 1:limit].strip():
        if re.search(r"\n[ \t]*\n[ \t]*$", text[max(0, line_start - 200):line_start]):
            return Change(line_start, _forward_over(text, tail, limit), "")   # a paragraph of its own: its break too
        return Change(line_start, tail + 1, "")              # a line of its own, more lines follow
    return Change(_back_over(text, line_start, " \t\n"), tail, "")       # the last line: the breaks before it go


def _back_over(text: str, pos: int, chars: str) -> int:
    while pos > 0 and text[pos - 1] in chars:
        pos -= 1
    return pos


def _forward_over(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos].isspace():
        pos += 1
    return pos


_LIST_PREPOSITION = re.compile(r"(?<=\w)[ \t]+(?:на|по|для)[ \t]+$", re.IGNORECASE)


def _announced_list(text: str, match: Match) -> Change | None:
    """«счёт на следующие позиции: …» → «счёт: …»: the preposition goes with the words, the colon stays.
    Without a preposition before it the words are the object of the verb and cannot simply go."""
    before = _LIST_PREPOSITION.search(text, max(0, match.start - 12), match.start)
    return Change(before.start(), match.end, "") if before else None


def _tail_deletion(match: Match) -> Change | None:
    """`delete_tail`: the shorter form is the phrase's first words and the rest says nothing: «свяжемся с
    вами для обсуждения деталей» → «свяжемся с вами». The words kept stay as written, so nothing needs to
    agree. (Not for any phrase whose shorter form happens to be its first word: «с указанием цены» is not
    «с цены».)"""
    kept = len(match.phrase.shorter.split())
    if not 0 < kept < len(match.tokens):
        return None
    return Change(match.tokens[kept - 1].end, match.end, "")


# Polite pronouns are capitalised in Russian letters («Вас», «Ваш») and "I" always is: not names.
_NOT_NAMES = frozenset({"вы", "вас", "вам", "вами", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "вашему",
                        "вашим", "вашими", "вашу", "ваших", "вашем"})
_ENGLISH_I = re.compile(r"I(?:['’]\w+)?$")


def _names_inside(match: Match, text: str) -> bool:
    """A matched word that may be part of a name: capitalised where no sentence starts, or inside quotes
    («Лучший дом», "Best Solar"). A rewrite never edits names; the hit stays advice there."""
    for token in match.tokens:
        if (token.text[:1].isupper() and not opens_sentence(text, token.start)
                and token.norm not in _NOT_NAMES and not _ENGLISH_I.match(token.text)):
            return True
    line_start = text.rfind("\n", max(0, match.start - 200), match.start) + 1
    before = text[max(line_start, match.start - 200):match.start]   # a quote opened far back is not this one
    return before.count("«") > before.count("»") or before.count('"') % 2 == 1


_NOUN_OBJECTS = {"NOUN", "ADJF", "PRTF", "NPRO", "NUMR"}


def _governs_next_word(match: Match, text: str, shorter: str) -> bool:
    """A verb + noun phrase whose noun governs the next word: «осуществили оплату счёта» cannot become
    «оплатили счёта» (the verb wants «счёт»), «внести изменения в договор» not «изменить в договор» (the
    list says so with `not_before`). Then the shorter verb is advice."""
    after = re.match(r"[ \t]+([^\W\d_]+)", text[match.end:match.end + 40])
    if after is None:
        return False
    following = normalize(after.group(1))
    if following in match.phrase.not_before:
        return True
    verb = len(shorter.split()) == 1 and any(p.tag.POS in _VERBAL for p in parses_ru(normalize(shorter)))
    noun = any(p.tag.POS in _NOMINAL for p in parses_ru(match.tokens[-1].norm))
    kind = parse_ru(following).tag.POS           # the likeliest reading: «в» is a preposition, not a letter
    return verb and noun and kind in _NOUN_OBJECTS and any(
        p.tag.POS == kind and "gent" in p.tag for p in parses_ru(following))


def _fix(match: Match, text: str, shorter: str, drop_in: bool, limit: int, language: str) -> tuple[Change, ...]:
    """What the shortened email does with this phrase; () where it can only be advice."""
    phrase = match.phrase
    if _names_inside(match, text):
        return ()
    if drop_in and shorter and language == "ru" and _governs_next_word(match, text, shorter):
        return ()
    if drop_in:
        return (Change(match.start, match.end, shorter) if shorter else _deletion(text, match.start, match.end),)
    if phrase.delete:
        return (_deletion(text, match.start, match.end),)
    change = None
    if phrase.delete_sentence:
        change = _sentence_deletion(text, match.start, match.end, limit)
    elif phrase.before_colon:
        change = _announced_list(text, match)
    elif phrase.delete_tail:
        change = _tail_deletion(match)
    return (change,) if change else ()


def _stop_word(match: Match, message: Message) -> Hit:
    lang, phrase = message.language, match.phrase
    written = message.text[match.start:match.end]
    shorter, drop_in = _shorter_form(match, lang)
    label = _label(phrase.category, lang)
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
    changes = _fix(match, message.text, shorter, drop_in, message.writing[1], lang)
    if drop_in and not shorter:
        # the finding is the deletion itself; when the next word takes the capital, the finding covers that
        # whole word, so the manager sees «Сообщаем, что склад» → «Склад», never a word cut in two
        deletion = _deletion(message.text, match.start, match.end)
        end, replacement = deletion.end, deletion.text
        if replacement:  # the change is the next word's first letter, capitalised
            word = WORD.match(message.text, deletion.end - 1)
            end, replacement = word.end(), replacement + message.text[deletion.end:word.end()]
        return Hit("wordiness.stop-word", deletion.start, end, text, suggestion=suggestion,
                   replacements=[replacement], changes=changes)
    return Hit("wordiness.stop-word", match.start, match.end, text, suggestion=suggestion,
               replacements=[shorter] if drop_in else [], changes=changes)


def _pass_capital(hits: list[Hit], text: str) -> None:
    """A deletion at a sentence's start capitalises the next word by taking its first letter; when that word
    opens another fix («Сообщаем, что в настоящее время» → «Сейчас»), that fix gets the capital instead, so
    the two do not overlap and both apply."""
    starts = {h.changes[0].start: h for h in hits if h.changes and h.changes[0].text}
    for hit in hits:
        if len(hit.changes) != 1:
            continue
        deletion = hit.changes[0]
        letter = deletion.end - 1
        follower = starts.get(letter)
        if (len(deletion.text) != 1 or not deletion.text.isupper() or not text[letter:letter + 1].islower()
                or follower is None or follower is hit):
            continue
        hit.changes, hit.end, hit.replacements = (Change(deletion.start, letter, ""),), letter, [""]
        first, *rest = follower.changes
        follower.changes = (Change(first.start, first.end, first.text[:1].upper() + first.text[1:]), *rest)


def _label(category: str, language: str) -> str:
    ru_label, en_label = CATEGORY.get(category, (category, category))
    return tr(language, ru=ru_label, en=en_label)


def _rephrased(r: Rephrasing, message: Message) -> Hit:
    lang, label = message.language, _label(r.category, message.language)
    written = message.text[r.start:r.end]
    if r.shorter:
        text = tr(lang, ru=f"{label}: «{written}» → «{r.shorter}»", en=f"{label}: “{written}” → “{r.shorter}”")
    else:
        text = tr(lang, ru=f"{label}: «{written}» можно убрать", en=f"{label}: “{written}” can be deleted")
    return Hit("wordiness.stop-word", r.start, r.end, f"{text} — {r.note}", suggestion=r.shorter or r.note,
               replacements=[r.shorter] if r.shorter else [], changes=r.changes)


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

    # Constructions rephrased to agree with their verb come first: a list phrase inside one says the same
    rephrased = rephrasings(tokens, message.text, lang)
    hits += [_rephrased(r, message) for r in rephrased]
    for match in index.find(tokens, message.text):
        if not any(r.start < match.end and match.start < r.end for r in rephrased):
            hits.append(_stop_word(match, message))
    _pass_capital(hits, message.text)

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
