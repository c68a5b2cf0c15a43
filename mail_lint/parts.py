"""Split a message's text into greeting, body, signature and quoted history.

The text is read line by line, once: first where quoted history starts (the earliest of an
attribution line, an Outlook header block, a separator or forward banner, a trailing `>` block,
or the HTML quote the caller saw), then, inside the new text, the greeting (first line) and
the signature (walked back from the end). Every regex runs on one short line, so the cost is
linear in the text and a megabyte of prose takes milliseconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Parts, Span

# Lines longer than this are prose, never an attribution, header or sign-off; skipping them
# keeps the regexes cheap on pathological input (a megabyte on one line).
_MAX_MARKER_LINE = 300
# How many lines an attribution may be wrapped over ("On ..., Name <\naddr> wrote:").
_ATTRIBUTION_WRAP = 5

# ---------------------------------------------------------------- quoted history: patterns
_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d\d(?!\d)"                 # a year
    r"|(?<!\d)\d{1,2}[:.]\d\d(?!\d)\s*(?:[AaPp]\.?[Mm]\.?)?(?![.\d])"  # a time 10:15 / 13.16
    r"|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")  # 03.12.2025, 4/19/2011
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Verbs that end an attribution line: "wrote:", "написал(а):", "пишет:", and their cousins
# from the other languages real replies arrive in.
_ATTRIBUTION_VERB = (
    r"wrote|writes|sent|"
    r"написал(?:\(а\)|а|и)?|написала|пишет|писал(?:\(а\)|а)?|пише|написав(?:\(ла\)|ла)?|"
    r"schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|schreef|(?:het\s+volgende\s+)?geschreven|"
    r"skrev|napisał(?:\(a\)|a)?|đã\s+viết|写道")
_VERB_END = re.compile(rf"(?:^|[\s>\"'”)])(?:{_ATTRIBUTION_VERB})\s*[:：]?\s*-*\s*$", re.I)
_COLON_END = re.compile(r"[:：]\s*$")
# Android: "---- John Smith wrote ----" carries neither a date nor an address.
_DASHED_WROTE = re.compile(rf"^-{{2,}}\s*\S.{{0,120}}\s(?:{_ATTRIBUTION_VERB})\s*-{{2,}}$", re.I)
# Old Gmail and Outlook-for-Mac: "2011/4/7 Name <addr>", "2016-03-03 17:21 GMT+01:00 Name".
_ISO_DATE_LINE = re.compile(r"^\d{4}[/-]\d{1,2}[/-]\d{1,2}\b.*(?:<[^>]*@|GMT[+-]\d)")
# How the first line of a wrapped attribution begins: a lead word ("On", "Le", "Am", ...),
# a date or weekday, a quoted name, or a line carrying the sender's address.
_WEEKDAYS = (r"mon|tue|wed|thu|fri|sat|sun|пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|"
             r"четверг|пятница|суббота|воскресенье")
_ATTRIBUTION_START = re.compile(
    rf"^(?:-+\s*)?(?:(?:On|Le|Am|El|Em|Il|Op|Den|På|W dniu|Dnia|Vào|At|在)\s|\d|\"|(?:{_WEEKDAYS})\b)"
    rf"|{_EMAIL.pattern}", re.I)
# "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:": the reply shares the line.
_INLINE_ON = re.compile(r"-*\s*\bOn\s+(?=[^\n]{0,30}\d)")

_SEPARATOR = re.compile(
    r"^[\s*>]*-{2,}\s*(?:"
    r"original message|исходное сообщение|ursprüngliche nachricht|mensaje original|"
    r"message d'origine|messaggio originale|oorspronkelijk bericht|originalmeddelande|"
    r"oprindelig meddelelse|opprinnelig melding|wiadomość oryginalna|оригинальное сообщение|"
    r"forwarded message|пересылаемое сообщение|перенаправленное сообщение|пересланное сообщение|"
    r"переслане повідомлення|weitergeleitete nachricht|message transféré|mensaje reenviado"
    r")\s*-{2,}[\s*]*$"
    r"|^[\s>]*(?:begin forwarded message|начало переадресованного сообщения|"
    r"начало пересылаемого сообщения)\s*:\s*$",
    re.I)
_FORWARD = re.compile(r"forward|пересыла|перенаправ|пересла|переадрес|weitergeleitet|transféré|reenviado",
                      re.I)
# A rule line above an Outlook header block ("______", " -------", "=====").
_RULE_LINE = re.compile(r"^\s*[-_=*]{5,}\s*$")

# Outlook-style header blocks: "From:/Sent:/To:/Subject:" and "От:/Отправлено:/Кому:/Тема:",
# as plain text, in bold (*From:*) or with French spacing ("De :").
_HEADER_FIELD = re.compile(r"^\s*\*?\s*([^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+)?)\s*\*?\s*:(?:\s|\*|$)")
_FROM_FIELDS = {"from", "от", "von", "de", "da", "fra", "från", "van", "od", "от кого"}
_DATE_FIELDS = {"date", "sent", "дата", "отправлено", "datum", "gesendet", "envoyé", "data", "inviato",
                "sendt", "skickat", "verzonden", "wysłano", "enviado", "enviada", "fecha"}
_OTHER_FIELDS = {"to", "cc", "subject", "reply-to", "кому", "копия", "тема", "an", "betreff", "à", "objet",
                 "a", "oggetto", "risposta", "til", "emne", "till", "ämne", "aan", "onderwerp", "do",
                 "temat", "para", "asunto", "kopie", "cc", "ответить", "importance", "важность"}
_FIELD_KIND = {**{f: "from" for f in _FROM_FIELDS}, **{f: "date" for f in _DATE_FIELDS},
               **{f: "other" for f in _OTHER_FIELDS}}
_HEADER_LOOKAHEAD = 4

_QUOTE_LINE = re.compile(r"^\s*>")

# ---------------------------------------------------------------- greeting
_NAME = r"[A-ZА-ЯЁ][\w'’.-]*(?:\s+[A-ZА-ЯЁ][\w'’.-]*){0,2}"
_GREETING_WORDS = (
    r"добрый\s+(?:день|вечер)|доброе\s+утро|доброго\s+(?:дня|времени\s+суток|утра|вечера)|"
    r"здравствуйте|здравствуй|привет(?:ствую)?|уважаем(?:ый|ая|ые)|дорог(?:ой|ая|ие)|"
    r"hi|hello|hey|dear|good\s+(?:morning|afternoon|evening|day)|greetings|hiya|howdy")
_WORDS = r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}"
_GREETING = re.compile(
    rf"^(?:(?:{_GREETING_WORDS})\b(?:\s*,?\s*{_WORDS})?"         # "Добрый день, Мария" "Hi John"
    rf"|{_NAME}\s*,\s*(?:{_GREETING_WORDS})\b)"                  # "Мария, здравствуйте"
    r"\s*[!,.:)]*(?=\s|$)", re.I)
# "John," alone on the first line, when it is a name and not "Yes," or "Thanks,".
_NAME_GREETING = re.compile(rf"^{_NAME}\s*[,!]$")
_NOT_NAMES = {"yes", "no", "ok", "okay", "sure", "thanks", "thank", "well", "so", "also", "hi", "fyi",
              "да", "нет", "ок", "хорошо", "спасибо", "итак", "кстати"}

# ---------------------------------------------------------------- signature
_DELIMITER = re.compile(r"^(?:--|-- |---|__)\s*$")
# Mobile and client footers, in Russian, English and the languages the test corpora hold.
_MOBILE_FOOTER = re.compile(
    r"^[\s(<*_]*(?:"
    r"sent\s+(?:from|with|via|using|by)\b|sent\s+from\s+my|get\s+outlook\s+for|"
    r"from\s+my\s+(?:iphone|ipad|android|mobile|samsung|galaxy)|"
    r"отправлено\s+(?:с|из|со)\b|отправлено\s+с\s+помощью|отправлено\s+через|"
    r"отправлено\s+из\s+мобильной|с\s+уважением,\s+отправлено|"
    r"надіслано\s+з|"
    r"envoyé\s+(?:de|depuis|avec)|von\s+meinem\b.*gesendet|gesendet\s+von|diese\s+nachricht\s+wurde\s+von|"
    r"enviado\s+(?:desde|de|do)|inviato\s+da|sendt\s+fra|skickat\s+från|verzonden\s+(?:met|vanaf|van)|"
    r"wysłane\s+z|從我的|发自我的|"
    r"\w+\s+from\s+mobile$"
    r")", re.I)
# Sign-offs: strong ones end the prose wherever they stand; weak ones ("Спасибо", "Thanks")
# only when a name follows or a comma asks for one.
_STRONG_SIGNOFF = (
    r"с\s+уважением(?:\s+и\s+наилучшими\s+пожеланиями)?|с\s+наилучшими\s+пожеланиями|с\s+наилучшими|"
    r"всего\s+(?:доброго|хорошего|наилучшего)|с\s+благодарностью|искренне\s+ваш[аи]?|"
    r"до\s+связи|хорошего\s+(?:дня|вечера)|успехов|"
    r"(?:best|kind|warm|warmest|kindest|with\s+kind|many|sincere)\s+regards|regards|rgds|br|"
    r"best\s+wishes|best|all\s+the\s+best|sincerely|yours\s+(?:sincerely|truly|faithfully)|"
    r"cheers|take\s+care|respectfully|cordialement|mit\s+freundlichen\s+grüßen|viele\s+grüße|"
    r"(?:liebe|beste)\s+grüße|gruß|saludos|met\s+vriendelijke\s+groet")
_WEAK_SIGNOFF = (
    r"спасибо|большое\s+спасибо|заранее\s+спасибо|благодарю|удачи|пока|"
    r"thanks|thank\s+you|many\s+thanks|thanks\s+in\s+advance|thx|ta")
_SIGNOFF = re.compile(
    rf"^(?:(?P<strong>{_STRONG_SIGNOFF})|(?P<weak>{_WEAK_SIGNOFF}))"
    r"(?P<tail>(?:\s*[,.!]*)(?:\s*[,/]?\s*[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,2})?\s*[,.!]*)$",
    re.I)
# "—Ryan", "-Lev.", "//Jef": a name after a dash or slashes.
_DASH_NAME = re.compile(r"^(?:[-–—]\s?|//\s?)[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?\.?$")
_CONTACT = re.compile(
    r"\+?\d[\d\s().-]{7,}\d|(?:тел|моб|phone|tel|mob|mobile|cell|факс|fax)\.?\s*[:.]|"
    + _EMAIL.pattern + r"|https?://|www\.", re.I)
_DISCLAIMER = re.compile(
    r"confidential|intended\s+(?:only\s+)?(?:for|recipient)|privileged|disclaimer|"
    r"конфиденциальн|предназначен\w*\s+(?:исключительно|только)|не\s+являетесь\s+(?:\w+\s+)?адресат|"
    r"вирус|virus", re.I)
_SIGNATURE_MAX_LINES = 10       # non-blank lines a sign-off block may hold below the sign-off
_SIGNATURE_LINE_MAX = 80        # a signature line is short: name, title, company, phone
_FOOTER_MAX_LINES = 30          # a mobile footer or "-- " block may carry this much below it
# Invisible or decorative leftovers a client drops at the end of the prose (Gmail's "ᐧ").
_JUNK_LINE = re.compile(r"^[\sᐧ\u200b-\u200f\u2060\ufeff]*$")


@dataclass(frozen=True)
class Split:
    """The parts, plus where the signature's machine-made tail begins.

    `footer` is the part of the signature that no person typed as a sign-off: a "-- " block,
    a mobile footer ("Sent from my iPhone") or a disclaimer. It lies inside `signature`.
    """

    parts: Parts
    footer: Span | None = None


def split_parts(text: str, quote_hint: int | None = None) -> Parts:
    """quote_hint: offset where an HTML quote (blockquote, gmail_quote) began, if the text came from HTML."""
    return split_detailed(text, quote_hint).parts


def split_detailed(text: str, quote_hint: int | None = None) -> Split:
    lines = _Lines(text)
    new_start, new_end, quoted_start = _new_text_bounds(lines, quote_hint)
    quoted = (quoted_start, len(text)) if quoted_start is not None else None
    first = lines.index_at(new_start)
    last = lines.index_at(new_end) if new_end < len(text) else len(lines) - 1
    if new_end > lines.starts[last] or new_end == len(text):
        last += 1
    # Lines [first, last) hold the new text (the last one may be cut where the quote begins).
    greeting = _greeting(lines, first, last, new_end)
    body_from = greeting[1] if greeting else new_start
    sig_line, footer_line = _signature_start(lines, lines.index_at(body_from) if greeting else first, last,
                                             has_prose_before=greeting is not None)
    signature = footer = None
    body_to = new_end
    if sig_line is not None:
        sig_start = max(lines.starts[sig_line], body_from)
        signature = _trim(text, sig_start, new_end)
        body_to = sig_start
        if footer_line is not None:
            footer = _trim(text, lines.starts[footer_line], new_end)
    body = _trim(text, body_from, _drop_junk_tail(lines, body_from, body_to))
    return Split(Parts(greeting=greeting, body=body, signature=signature, quoted=quoted), footer)


# ---------------------------------------------------------------- lines
class _Lines:
    """Line offsets of a text, computed once; a line's content excludes its newline."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._stripped: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def end(self, i: int) -> int:
        """Offset just past the line's content (before its newline)."""
        return self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)

    def raw(self, i: int) -> str:
        return self.text[self.starts[i]:self.end(i)].rstrip("\r")

    def stripped(self, i: int) -> str:
        s = self._stripped.get(i)
        if s is None:
            s = self._stripped[i] = self.raw(i).strip()
        return s

    def is_blank(self, i: int) -> bool:
        return not self.stripped(i)

    def index_at(self, offset: int) -> int:
        """Index of the line holding `offset` (binary search)."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _drop_junk_tail(lines: _Lines, start: int, end: int) -> int:
    """Moves `end` up past trailing lines that hold only invisible marks (Gmail's "ᐧ")."""
    i = lines.index_at(max(start, end - 1)) if end > start else None
    while i is not None and lines.starts[i] >= start and _JUNK_LINE.match(lines.raw(i)):
        end = lines.starts[i]
        i = i - 1 if i > 0 else None
    return end


# ---------------------------------------------------------------- where the new text lies
@dataclass
class _Marker:
    offset: int          # where quoted history starts
    line: int            # the line it starts on
    kind: str            # "attribution" | "header" | "separator" | "quote"
    last_line: int       # the marker's last line (an attribution may be wrapped)


def _new_text_bounds(lines: _Lines, quote_hint: int | None) -> tuple[int, int, int | None]:
    """(start, end) of the author's new text and where quoted history starts (None: no quote)."""
    text = lines.text
    start = 0
    marker = _first_marker(lines, 0)
    # A reply written below the quote (bottom-posting): the text opens with an attribution and
    # its quote, and the author's words follow. Skip that lead-in and look again below it.
    while marker and marker.kind == "attribution" and not text[start:marker.offset].strip():
        after = _skip_quote_block(lines, marker.last_line + 1)
        if after >= len(lines) or all(lines.is_blank(i) for i in range(after, len(lines))):
            break
        start = lines.starts[after]
        marker = _first_marker(lines, after)
    quoted = marker.offset if marker else None
    if quote_hint is not None and 0 <= quote_hint <= len(text) and quote_hint >= start:
        quoted = quote_hint if quoted is None else min(quoted, quote_hint)
    end = quoted if quoted is not None else len(text)
    return start, end, quoted


def _skip_quote_block(lines: _Lines, i: int) -> int:
    """First line at or after i that is neither blank nor `>` quoted."""
    while i < len(lines) and (lines.is_blank(i) or _QUOTE_LINE.match(lines.raw(i))):
        i += 1
    return i


def _first_marker(lines: _Lines, first: int) -> _Marker | None:
    trailing = _trailing_quote_line(lines, first)
    # The trailing block's first line may itself end an attribution (">:" after a wrapped address).
    for i in range(first, len(lines) if trailing is None else trailing + 1):
        found = _marker_at(lines, i, first)
        if found:
            return found
    if trailing is not None:
        attribution = _attribution_above(lines, trailing, first)
        return attribution or _Marker(lines.starts[trailing], trailing, "quote", trailing)
    return None


def _trailing_quote_line(lines: _Lines, first: int) -> int | None:
    """First line of the `>` block that ends the text, if the text ends with one."""
    found = None
    i = len(lines) - 1
    while i >= first:
        if lines.is_blank(i):
            pass
        elif _QUOTE_LINE.match(lines.raw(i)):
            found = i
        else:
            break
        i -= 1
    return found


def _marker_at(lines: _Lines, i: int, first: int) -> _Marker | None:
    s = lines.stripped(i)
    if not s or len(s) > _MAX_MARKER_LINE:
        return None
    if _SEPARATOR.match(s):
        return _Marker(_rule_above(lines, i, first), i, "separator", i)
    if _HEADER_FIELD.match(s) and _is_header_block(lines, i):
        return _Marker(_rule_above(lines, i, first), i, "header", i)
    return _attribution_ending_at(lines, i, first)


def _rule_above(lines: _Lines, i: int, first: int) -> int:
    """Start of a rule line ("_____", "-----") just above line i, else of line i itself."""
    j = i - 1
    while j >= first and lines.is_blank(j):
        j -= 1
    if j >= first and _RULE_LINE.match(lines.raw(j)):
        return lines.starts[j]
    return lines.starts[i]


def _field_kind(s: str) -> str | None:
    m = _HEADER_FIELD.match(s)
    return _FIELD_KIND.get(m.group(1).lower()) if m else None


def _is_header_block(lines: _Lines, i: int) -> bool:
    """A From/Date line followed closely by other header fields (Sent, To, Subject, ...)."""
    kind = _field_kind(lines.stripped(i))
    if kind not in ("from", "date"):
        return False
    kinds = {kind}
    for j in range(i + 1, min(len(lines), i + 1 + _HEADER_LOOKAHEAD)):
        other = _field_kind(lines.stripped(j))
        if other:
            kinds.add(other)
    return len(kinds) >= 2 or (kind == "date" and "other" in kinds)


def _attribution_ending_at(lines: _Lines, i: int, first: int) -> _Marker | None:
    """An attribution line ("On ... wrote:", "ср, 3 дек. 2025 г. в 10:15, Иван <...>:") ending at line i."""
    s = _unquote(lines.stripped(i))
    if _DASHED_WROTE.match(s):
        return _Marker(lines.starts[i], i, "attribution", i)
    if _ISO_DATE_LINE.match(s):
        return _Marker(lines.starts[i], i, "attribution", i)
    if not (_VERB_END.search(s) or _COLON_END.search(s)):
        return None
    if _is_attribution(s, complete=True):
        return _Marker(_inline_start(lines, i, s), i, "attribution", i)
    # Wrapped over several lines: walk up to the line the attribution starts on.
    parts = [s]
    for k in range(1, _ATTRIBUTION_WRAP + 1):
        j = i - k
        if j < first:
            break
        above = _unquote(lines.stripped(j))
        if len(above) > _MAX_MARKER_LINE or _ends_prose(above):
            break
        parts.insert(0, above)
        if above and _ATTRIBUTION_START.search(above) and _is_attribution(" ".join(parts), complete=True):
            return _Marker(lines.starts[j], j, "attribution", i)
    if _is_attribution(s, complete=False):
        return _Marker(_inline_start(lines, i, s), i, "attribution", i)
    return None


def _attribution_above(lines: _Lines, quote: int, first: int) -> _Marker | None:
    """The attribution just above a trailing `>` block, whatever its language:
    a line (or a few wrapped ones) ending with ":" that names a date or an address."""
    j = quote - 1
    while j >= first and lines.is_blank(j):
        j -= 1
    if j < first:
        return None
    s = lines.stripped(j)
    if not _COLON_END.search(s) or len(s) > _MAX_MARKER_LINE:
        return None
    parts = [s]
    for k in range(0, 3):
        top = j - k
        if top < first:
            break
        if k:
            above = lines.stripped(top)
            if not above or _ends_prose(above):
                break
            parts.insert(0, above)
        joined = " ".join(parts)
        if _ATTRIBUTION_START.search(parts[0]) and (_DATE.search(joined) or _EMAIL.search(joined)):
            best = top
            for kk in range(k + 1, 3):  # prefer the longest wrap whose first line still starts one
                t = j - kk
                if t < first:
                    break
                above = lines.stripped(t)
                if not above or _ends_prose(above):
                    break
                if _ATTRIBUTION_START.match(above):
                    best = t
            return _Marker(lines.starts[best], best, "attribution", j)
    return None


def _ends_prose(s: str) -> bool:
    """A sentence ends here, so an attribution cannot be wrapped across it
    (unless the line names a date or an address: "... schrieb am Fr., 28.")."""
    return bool(s) and s[-1] in ".!?:;" and not (_EMAIL.search(s) or _DATE.search(s))


def _unquote(s: str) -> str:
    return s.lstrip("> ").strip() if s.startswith(">") else s


def _is_attribution(s: str, *, complete: bool) -> bool:
    """complete: names a date (a full attribution); else an address is enough ("Name <a@b> wrote:")."""
    if len(s) > _MAX_MARKER_LINE * 2:
        return False
    has_date = _DATE.search(s) is not None
    has_email = _EMAIL.search(s) is not None
    if _VERB_END.search(s):
        return has_date if complete else has_email
    return has_date and has_email and _COLON_END.search(s) is not None


def _inline_start(lines: _Lines, i: int, s: str) -> int:
    """Where the attribution begins on line i: mid-line when the reply shares the line."""
    if _ATTRIBUTION_START.match(s):
        return lines.starts[i]
    m = _INLINE_ON.search(s)
    if m and m.start() > 0:
        raw = lines.raw(i)
        return lines.starts[i] + raw.find(s) + m.start()
    return lines.starts[i]


# ---------------------------------------------------------------- greeting and signature
def _greeting(lines: _Lines, first: int, last: int, new_end: int) -> Span | None:
    """The greeting phrase on the first line of the new text ("Добрый день, Мария!", "Hi John,")."""
    i = _first_nonblank(lines, first, last)
    if i is None:
        return None
    s = lines.stripped(i)
    m = _GREETING.match(s) or _NAME_GREETING.match(s)
    if not m:
        return None
    phrase = m.group(0).rstrip()
    rest = s[m.end():].strip()
    if rest and not phrase.endswith(("!", ",", ".", ":", ")")):
        return None  # "Hello world is what every program prints": not a greeting
    if m.re is _NAME_GREETING and (rest or phrase.split()[0].strip(",!").lower() in _NOT_NAMES):
        return None
    line_start = lines.starts[i] + lines.raw(i).find(s)
    return (line_start, min(line_start + len(phrase), new_end))


def _signature_start(lines: _Lines, first: int, last: int, *, has_prose_before: bool) -> tuple[int | None, int | None]:
    """(first signature line, first footer line) within lines [first, last), or (None, None)."""
    nonblank = [i for i in _last_nonblank(lines, first, last, _FOOTER_MAX_LINES + 1)]
    if not nonblank:
        return None, None
    footer = _footer_line(lines, nonblank, first)
    limit = footer if footer is not None else last
    signoff = _signoff_line(lines, first, limit, has_prose_before)
    if signoff is None and footer is None:
        signoff = _contact_block(lines, first, limit)
    return (signoff if signoff is not None else footer), footer


def _last_nonblank(lines: _Lines, first: int, last: int, count: int) -> list[int]:
    out: list[int] = []
    i = last - 1
    while i >= first and len(out) < count:
        if not lines.is_blank(i):
            out.append(i)
        i -= 1
    return out  # from the bottom up


def _first_nonblank(lines: _Lines, first: int, last: int) -> int | None:
    for i in range(first, last):
        if not lines.is_blank(i):
            return i
    return None


def _footer_line(lines: _Lines, bottom_up: list[int], first: int) -> int | None:
    """The topmost "-- " delimiter, mobile footer or disclaimer among the last lines."""
    found = None
    for n, i in enumerate(bottom_up):
        s = lines.stripped(i)
        if _MOBILE_FOOTER.match(s) and len(s) <= 120:
            found = i
        elif _DELIMITER.match(lines.raw(i)) and n < 15:
            found = i
        elif _DISCLAIMER.search(s) and (found is not None or n < 6) and _is_last_paragraphs(lines, i, bottom_up):
            found = _paragraph_start(lines, i, first)
    return found


def _is_last_paragraphs(lines: _Lines, i: int, bottom_up: list[int]) -> bool:
    """A disclaimer sits at the end: below it come only long legal lines or other footers."""
    return all(len(lines.stripped(j)) > 40 or _MOBILE_FOOTER.match(lines.stripped(j)) or
               _DISCLAIMER.search(lines.stripped(j)) for j in bottom_up if j > i) if bottom_up else True


def _paragraph_start(lines: _Lines, i: int, first: int) -> int:
    while i - 1 >= first and not lines.is_blank(i - 1):
        i -= 1
    return i


def _signoff_line(lines: _Lines, first: int, limit: int, has_prose_before: bool) -> int | None:
    """The sign-off ("С уважением,", "Best regards,") whose tail down to `limit` is short lines."""
    seen = 0
    i = limit - 1
    while i >= first and seen <= _SIGNATURE_MAX_LINES:
        if lines.is_blank(i):
            i -= 1
            continue
        s = lines.stripped(i)
        if len(s) > _SIGNATURE_LINE_MAX:
            return None
        m = _SIGNOFF.match(s) if len(s) <= 60 else None
        if m and _signoff_counts(m, seen, lines, i, first, has_prose_before):
            return i
        if _DASH_NAME.match(s) and seen <= 1 and _prose_above(lines, i, first, has_prose_before):
            return i
        seen += 1
        i -= 1
    return None


def _signoff_counts(m: re.Match, below: int, lines: _Lines, i: int, first: int, has_prose_before: bool) -> bool:
    if not _prose_above(lines, i, first, has_prose_before):
        return False
    if m.group("strong"):
        return True
    tail = m.group("tail").strip()
    return below > 0 or tail.endswith(",") or bool(tail.strip(",.! "))


def _prose_above(lines: _Lines, i: int, first: int, has_prose_before: bool) -> bool:
    return has_prose_before or any(not lines.is_blank(j) for j in range(first, i))


def _contact_block(lines: _Lines, first: int, limit: int) -> int | None:
    """A last paragraph of short lines with a phone, address or link, and a name on top."""
    bottom_up = _last_nonblank(lines, first, limit, 8)
    if not bottom_up:
        return None
    start = _paragraph_start(lines, bottom_up[0], first)
    block = range(start, bottom_up[0] + 1)
    if start == first or len(block) > 7:
        return None
    texts = [lines.stripped(j) for j in block]
    if any(len(t) > 60 for t in texts) or not any(_CONTACT.search(t) for t in texts):
        return None
    if texts[0].endswith((".", "!", "?", ":")) or not texts[0][:1].isupper():
        return None
    return start
