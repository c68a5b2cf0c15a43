"""Call to action: does the reader know what is asked of them, and by when?

**What it checks.** The author's new text (greeting and body; never the signature or the quoted history)
is split into sentences, and each is tested for a request to the reader (`rules/support/requests.py`): an
imperative ("Пришлите", "Подтвердите"), "прошу / просим / просьба", "необходимо / нужно" with an
infinitive, "Вы могли бы", a question ("Сможете подтвердить до среды?"), "please", "could you", "let me
know", a proposal ("Давайте созвонимся", "we should meet"). Courtesy asks nothing ("Будем рады
сотрудничеству", "Thank you for your time"), nor do standing offers ("Если будут вопросы, звоните").
In English a model trained on labelled email sentences confirms or overrules each of these cues.
Deadlines ("до 15 декабря", "к 5.12", "до пятницы", "завтра до 12:00", "в течение 3 рабочих дней", "by
Dec 15", "EOD tomorrow", "within two days") are resolved to a moment in the configured time zone
(`[general] timezone`) against the message's Date header, or now (`rules/support/deadlines.py` documents the
rules: a date alone means 18:00 that day; a weekday means the next such day after the message's day).
The main request is the one that carries a deadline, else the last direct one; `stats.deadline` is its
deadline (or the first deadline found) as `{"text", "resolved"}`, null when there is none.
- `cta.missing`: no request at all (span: the body).
- `cta.no-deadline`: a request, but no deadline or time frame anywhere in the text (span: the main request).
- `cta.past-deadline`: a deadline in a request resolves before the message's own date (span: the deadline).
- `cta.buried`: the last paragraph before the signature holds no request, so a reader who skims to the
  end misses it (span: the main request). Short closing lines ("Спасибо!", "Хорошего дня!") do not count
  as the last paragraph.

**Why it matters.** A sales email that asks for nothing gets no answer; a request without a date gets an
answer "when there is time"; readers look for the ask at the end.

**Bad.** "Направляем вам коммерческое предложение. Будем рады сотрудничеству."

**Better.** "Направляем КП на 40 панелей. Подтвердите, пожалуйста, количество до пятницы, 5 декабря."

**Options** (`[cta]`): `min_words` (int, 20): a shorter text that thanks or confirms (a quick "Спасибо,
получили!", "Got it, thanks"; `rules/data/<lang>/acknowledgements.txt`) is not required to ask for anything.
A short note that hands something over ("Счёт во вложении.", "FYI") or declines, and a forward with nothing
written, still leave the reader asking what to do: `cta.missing`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from mail_lint.checks import Check, CheckResult, Context, Hit, Rule, tr
from mail_lint.model import Message
from mail_lint.text import NAME_WORD, count_words, paragraphs
from mail_lint.rules.support.deadlines import Deadline, add_business_days, find_deadlines, reference_moment
from mail_lint.rules.support.lemmas import parse_ru
from mail_lint.rules.support.requests import ASKS, Request, find_requests, sentences
from mail_lint.rules.support.wordlists import load_list
from mail_lint.wordlists import alternation

RULES = (
    Rule("EM401", "cta.missing", "warning",
         "The email does not ask the reader to do anything.",
         label=("непонятно, что нужно от адресата", "no clear request"),
         why="An email without a request gets no answer: the reader cannot tell what is expected of them.",
         bad="Направляем вам коммерческое предложение. Будем рады сотрудничеству.",
         better="Направляем КП на 40 панелей. Подтвердите, пожалуйста, количество до пятницы, 5 декабря."),
    Rule("EM402", "cta.no-deadline", "warning",
         "There is a request but no deadline or time frame.",
         label=("просьба без срока", "request without a deadline"),
         why="A request without a date is answered 'when there is time', which in sales means never.",
         bad="Пришлите, пожалуйста, реквизиты для счёта.",
         better="Пришлите, пожалуйста, реквизиты для счёта до среды, 10 декабря."),
    Rule("EM403", "cta.past-deadline", "error",
         "The deadline is earlier than the message's own date.",
         label=("срок уже прошёл", "deadline already past"),
         why="A deadline already gone is a typo or a copied template; the reader cannot meet it.",
         bad="(sent on 3 December) Подпишите договор до 1 декабря.",
         better="Подпишите договор до пятницы, 5 декабря."),
    Rule("EM404", "cta.buried", "suggestion",
         "The main request is not in the last paragraph before the signature.",
         label=("просьба не в конце письма", "request buried mid-email"),
         why="Readers skim to the end for what is asked of them; a request in the middle gets missed.",
         bad="Пришлите реквизиты до пятницы. <три абзаца о компании> Будем рады сотрудничеству.",
         better="<о компании> Пришлите, пожалуйста, реквизиты до пятницы, 5 декабря."),
)

_ADDRESS_OR_DATE = re.compile(r"[@\d]")
CLOSING_WORDS = 8  # a trailing paragraph this short without a request is a closing line, not the last paragraph

_RU_WEEKDAYS_GEN = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")
_RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                  "октября", "ноября", "декабря")


def _suggested_deadline(base: datetime, language: str) -> str:
    """Two working days after the message: "до пятницы, 5 декабря" / "by Friday, December 5"."""
    day = add_business_days(base.date(), 2)
    if language == "ru":
        return f"до {_RU_WEEKDAYS_GEN[day.weekday()]}, {day.day} {_RU_MONTHS_GEN[day.month - 1]}"
    return f"by {day.strftime('%A')}, {day.strftime('%B')} {day.day}"


def _deadline_of(request: Request, deadlines: list[Deadline], base: datetime) -> Deadline | None:
    """A deadline inside the request's sentence: one introduced as such ("до", "by"), or a future time frame
    ("в пятницу"); a bare past date there is a reference ("договор от 1 декабря"), not a deadline.
    `deadlines` are in text order, so the request's own are found by bisection: thousands of requests each
    with a deadline cost no more than their number, not their product."""
    for i in range(bisect_left(deadlines, request.start, key=_start), len(deadlines)):
        deadline = deadlines[i]
        if deadline.start >= request.end:
            break
        if deadline.explicit or deadline.resolved >= base:
            return deadline
    return None


def _start(deadline: Deadline) -> int:
    return deadline.start


def _main_request(requests: list[Request], deadlines: list[Deadline], base: datetime) -> Request:
    with_deadline = [r for r in requests if _deadline_of(r, deadlines, base)]
    if with_deadline:
        return with_deadline[0]
    direct = [r for r in requests if r.kind != "question"]
    return (direct or requests)[-1]


def _last_paragraph(message: Message, requests: list[Request]) -> tuple[int, int]:
    """The last paragraph of the writing that is not a short closing line."""
    start, end = message.writing
    spans = paragraphs(message.text, start, end)
    starts = [r.start for r in requests]  # in text order: bisection, not a scan of all per paragraph
    for s, e in reversed(spans):
        if bisect_left(starts, s) < bisect_left(starts, e):  # a request starts in this paragraph
            return s, e
        paragraph = message.text[s:e].strip()
        if _is_quote_header(paragraph) or count_words(paragraph) <= CLOSING_WORDS:
            continue  # a closing line, or a quote header ("ср, 3 дек. 2025 г. в 9:15, Мария <m@x.ru>:")
        return s, e
    return spans[0] if spans else (start, end)


def _is_quote_header(paragraph: str) -> bool:
    """Ends with ":" and names an address or a date before it ("ср, 3 дек. 2025 г. в 9:15, Мария <m@x.ru>:").
    Code, not one regex: "[@\\d].*:$" rescans the paragraph from each digit, quadratic in a run of digits."""
    return paragraph.endswith(":") and _ADDRESS_OR_DATE.search(paragraph, 0, len(paragraph) - 1) is not None


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _missing_hit(span: tuple[int, int], base: datetime, lang: str) -> Hit:
    return Hit("cta.missing", *span,
               tr(lang, ru="Неясно, что вы просите сделать: в письме нет ни просьбы, ни вопроса к адресату",
                  en="The reader cannot tell what you ask of them: the email has no request or question"),
               suggestion=tr(lang, ru=f"Закончите письмо одной конкретной просьбой со сроком: «Подтвердите, "
                                      f"пожалуйста, … {_suggested_deadline(base, lang)}»",
                             en=f"End with one concrete request and a deadline: “Could you confirm … "
                                f"{_suggested_deadline(base, lang)}?”"))


@lru_cache(maxsize=2)
def acknowledgement_pattern(lang: str) -> re.Pattern:
    return re.compile(r"(?<![^\W\d_])" + alternation(load_list(lang, "acknowledgements")), re.I)


# An item line of an order: a quantity in pieces or sets ("x 20 шт", "2 шт.", "10 pcs", "qty: 5").
_QUANTITY = re.compile(r"(?<!\w)(?:x\s*\d+|\d+\s*(?:шт|штук|компл|ед|pcs|pieces|units|ea)\b\.?|(?:qty|кол-во)\W{0,3}\d+)"
                       r"|^\s*(?:шт|pcs)\.?\s*$", re.I | re.M)


@lru_cache(maxsize=2)
def _order_subject(lang: str) -> re.Pattern:
    return re.compile(r"(?<![^\W\d_])" + alternation(load_list(lang, "order_subjects")), re.I)


def _ordered_items(message: Message, lang: str) -> list[Request]:
    """An order or an inquiry written as a list ("Заявка" over "Артикул S201-C16 x 20 шт"): the list asks
    for a quote or a delivery without a sentence that says so. Its first item line is the request."""
    start, end = message.writing
    if not _order_subject(lang).search(message.subject):
        return []
    m = _QUANTITY.search(message.text, start, end)
    if m is None:
        return []
    line_start = message.text.rfind("\n", start, m.start()) + 1
    line_end = message.text.find("\n", m.end(), end)
    return [Request(max(start, line_start), end if line_end < 0 else line_end, "order", m.group(0))]


def _acknowledges(prose: str) -> bool:
    """A short note that thanks or confirms ("Спасибо, получили!", "Got it, thanks") needs no next step;
    a short note that hands something over ("Счёт во вложении", "FYI") or declines still leaves the
    reader asking what to do with it. Either language: "Ok, спасибо" is a Russian note."""
    return any(acknowledgement_pattern(lang).search(prose) for lang in ("ru", "en"))


_COMMITMENT_EN = re.compile(r"(?<![^\W\d_])(?:i|we)(?:['’]ll|\s+will|\s+shall|\s+am\s+going\s+to|\s+are\s+going\s+to)"
                            r"\s+(?!not\b|be\s+out\b)", re.I)
_COMMITMENT_RU = re.compile(r"(?<![^\W\d_])(?:я|мы)\s+(?:буду|будем)\s+", re.I)


def _commits(sentence: str, lang: str) -> bool:
    """The writer promises an action: "I'll send the quote", «пришлю расчёт», «мы будем на объекте»."""
    if lang != "ru":
        return _COMMITMENT_EN.search(sentence) is not None
    if _COMMITMENT_RU.search(sentence):
        return True
    return any(_first_person_future(w.lower()) for w in NAME_WORD.findall(sentence))


@lru_cache(maxsize=20_000)
def _first_person_future(word: str) -> bool:
    tag = parse_ru(word).tag
    return tag.POS == "VERB" and "1per" in tag and "futr" in tag


def _dated_commitment(message: Message, deadlines: list[Deadline], lang: str) -> bool:
    """The writer's own dated promise is the next step the reader waits for («Пришлю расчёт завтра до
    обеда», "I'll call you on Monday"): no request is needed."""
    for s, e in sentences(message.text, *message.writing):
        if any(s <= d.start < e for d in deadlines) and _commits(message.text[s:e], lang):
            return True
    return False


def run(message: Message, ctx: Context) -> CheckResult:
    lang = message.language
    start, end = message.writing
    prose = message.text[start:end]
    base = reference_moment(message.date, ctx.timezone)
    if not prose.strip():                    # nothing written (a bare forward): nothing asked either
        return CheckResult([_missing_hit(message.lead_line, base, lang)])
    requests = [r for r in find_requests(message.text, lang, (start, end)) if r.kind in ASKS]
    requests = requests or _ordered_items(message, lang)
    deadlines = find_deadlines(prose, lang, message.date, ctx.timezone, offset=start)
    main = _main_request(requests, deadlines, base) if requests else None
    main_deadline = _deadline_of(main, deadlines, base) if main else None
    shown = main_deadline or next((d for d in deadlines if d.explicit), None)
    hits = list(_hits(message, ctx, base, requests, deadlines, main, main_deadline))
    return CheckResult(hits, stats={"deadline": shown.to_stats() if shown else None})


def _hits(message: Message, ctx: Context, base: datetime, requests: list[Request], deadlines: list[Deadline],
          main: Request | None, main_deadline: Deadline | None) -> Iterator[Hit]:
    lang, (start, end) = message.language, message.writing
    prose = message.text[start:end]
    if main is None:
        short = count_words(prose) < ctx.options["min_words"] and count_words(prose) <= CLOSING_WORDS
        if not (short and _acknowledges(prose)) and not _dated_commitment(message, deadlines, lang):
            body = message.parts.body or (start, start)
            text = message.text[body[0]:body[1]]
            lead = len(text) - len(text.lstrip())
            yield _missing_hit((body[0] + lead, body[0] + len(text.rstrip())), base, lang)
        return

    sentence = _clip(message.text[main.start:main.end])
    if main_deadline is None and not any(d.explicit for d in deadlines):
        yield Hit("cta.no-deadline", main.start, main.end,
                  tr(lang, ru=f"Просьба без срока: «{sentence}»", en=f"A request without a deadline: “{sentence}”"),
                  suggestion=tr(lang, ru=f"Добавьте срок: «…{_suggested_deadline(base, lang)}»",
                                en=f"Add a deadline: “…{_suggested_deadline(base, lang)}”"))

    for deadline in dict.fromkeys(d for r in requests if (d := _deadline_of(r, deadlines, base))):
        if deadline.explicit and deadline.resolved < base:
            when = base.strftime("%d.%m.%Y") if lang == "ru" else base.strftime("%b %d, %Y")
            yield Hit("cta.past-deadline", deadline.start, deadline.end,
                      tr(lang, ru=f"Срок «{deadline.text}» уже прошёл: письмо датировано {when}",
                         en=f"The deadline “{deadline.text}” has already passed: the email is dated {when}"),
                      suggestion=tr(lang, ru=f"Проверьте дату; например: «{_suggested_deadline(base, lang)}»",
                                    en=f"Check the date; for example: “{_suggested_deadline(base, lang)}”"))

    last_start, last_end = _last_paragraph(message, requests)
    if not any(last_start <= r.start < last_end for r in requests):
        yield Hit("cta.buried", main.start, main.end,
                  tr(lang, ru="Главная просьба спрятана в середине письма: читатель ищет её в конце",
                     en="The main request is buried mid-email: readers look for it at the end"),
                  suggestion=tr(lang, ru="Перенесите просьбу и срок в последний абзац перед подписью",
                                en="Move the request and its deadline to the last paragraph before the signature"))


CHECK = Check(name="cta", title=("Призыв к действию", "Call to action"),
              doc=__doc__, rules=RULES, run=run, options={"min_words": 20})
