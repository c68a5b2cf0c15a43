"""Split a message's text into greeting, body, signature and quoted history.

The text is read line by line, once: first where quoted history starts (the earliest of an
attribution line, an Outlook header block, a separator or forward banner, a trailing `>` block,
or the HTML quote the caller saw), then, inside the new text, the greeting (first line) and
the signature (walked back from the end). Every regex runs on one short line, so the cost is
linear in the text and a megabyte of prose takes milliseconds.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .model import Parts, Span
from .opening import Opening, read_opening
from .wordlists import all_languages, alternation

# Lines longer than this are prose, never an attribution, header or sign-off; skipping them
# keeps the regexes cheap on pathological input (a megabyte on one line).
_MAX_MARKER_LINE = 300
# How many lines an attribution may be wrapped over ("On ..., Name <\naddr> wrote:").
_ATTRIBUTION_WRAP = 5
# "Иван пишет:" right above a `>` block needs no date or address to count.
_SHORT_ATTRIBUTION = 80

# ---------------------------------------------------------------- quoted history: patterns
_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d\d(?!\d)"                 # a year
    r"|(?<!\d)\d{1,2}[:.]\d\d(?!\d)\s*(?:[AaPp]\.?[Mm]\.?)?(?![.\d])"  # a time 10:15 / 13.16
    r"|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")  # 03.12.2025, 4/19/2011
# An e-mail address (also read by language detection and the signature check). The lookbehind lets a
# match start only where a run of address characters starts: without it a long run with no "@" in it
# (40 000 "_") is scanned again from each of its characters, which takes minutes.
EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Verbs that end an attribution line: "wrote:", "написал(а):", "пишет:", and their cousins
# from the other languages real replies arrive in.
_ATTRIBUTION_VERB = (
    r"wrote|writes|sent|"
    r"написал(?:\(а\)|а|и)?|написала|пишет|писал(?:\(а\)|а)?|пише|написав(?:\(ла\)|ла)?|"
    r"schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|schreef|(?:het\s+volgende\s+)?geschreven|"
    r"skrev|napisał(?:\(a\)|a)?|đã\s+viết|写道")
# Each run of spaces here and below has one place to go: "\s*[:：]?\s*-*\s*" would try every way of
# sharing a long run between its three "\s*", which is cubic.
_VERB_END = re.compile(rf"(?:^|[\s>\"'”)])(?:{_ATTRIBUTION_VERB})\s*(?:[:：]\s*)?(?:-+\s*)?$", re.I)
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
    rf"|{EMAIL.pattern}", re.I)
# "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:": the reply shares the line.
_INLINE_ON = re.compile(r"-*\s*\bOn\s+(?=[^\n]{0,30}\d)")

_SEPARATOR = re.compile(
    rf"^[\s*>]*-{{2,}}\s*{alternation(all_languages('quote_separators'))}\s*-{{2,}}[\s*]*$"
    rf"|^[\s>]*{alternation(all_languages('forward_banners'))}\s*:\s*$"
    rf"|^[\s>]*-{{5,}}\s*{alternation(all_languages('forwarded_by'))}",
    re.I)
# A rule line above an Outlook header block ("______", " -------", "=====").
_RULE_LINE = re.compile(r"^\s*[-_=*]{5,}\s*$")

# Outlook-style header blocks: "From:/Sent:/To:/Subject:" and "От:/Отправлено:/Кому:/Тема:",
# as plain text, in bold (*From:*) or with French spacing ("De :").
_HEADER_FIELD = re.compile(r"^\s*(?:\*\s*)?([^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+)?)\s*(?:\*\s*)?:(?:\s|\*|$)")
# "from: от" in the lists: the field's kind, then its name.
_FIELD_KIND = {field.strip(): kind for kind, _, field in
               (entry.partition(":") for entry in all_languages("quote_headers"))}
_HEADER_LOOKAHEAD = 4
_NOTES_SENDER_LINES = 3    # "Name", "date time", "Please respond to ..." above a Lotus Notes To field

# A line can only be a marker if it ends like an attribution or starts like a header,
# a separator, a banner or an old-Gmail date: the cheap test that lets prose through fast.
_MARKER_LAST_CHARS = frozenset(":：-*>")
_MARKER_START = re.compile(r"[>*\s]*(?:-{2}|\d{4}[/-]|[^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+)?\s*(?:\*\s*)?:|"
                           r"begin\s|начало\s)", re.I)

# ---------------------------------------------------------------- greeting
# "John," alone on the first line is a greeting when it is a name and not "Yes," or "Thanks,".
_NOT_NAMES = {"yes", "no", "ok", "okay", "sure", "thanks", "thank", "well", "so", "also", "hi", "fyi",
              "да", "нет", "ок", "хорошо", "спасибо", "итак", "кстати"}
_PREAMBLE_LINES = 2       # lines of an address block ("ООО «Кровля-Сервис»", "Иванову И.И.") over the greeting
_PREAMBLE_LINE = 60
# A bare address alone on its line ("Мария!", "John Smith,"): the greeting, for the body to start below it.
_ADDRESS_LINE = re.compile(r"^[A-ZА-ЯЁ][\w'’.-]*(?:\s+[A-ZА-ЯЁ][\w'’.-]*){0,2}\s*[,!]$")
# The marks that close a greeting ("Добрый день, Мария!", "Здравствуйте, ООО «СтройСнаб»!").
_GREETING_PUNCTUATION = re.compile(r"(?:\s*[!,.:)»\"”]+)?")

# ---------------------------------------------------------------- signature
_DELIMITER = re.compile(r"^(?:--|-- |---|__)\s*$")
# Mobile and client footers, in Russian, English and the languages the test corpora hold.
_MOBILE_FOOTER = re.compile(rf"^[\s(<*_]*{alternation(all_languages('mobile_footers'))}", re.I)
# Sign-offs: strong ones end the prose wherever they stand; weak ones ("Спасибо", "Thanks")
# only when a name follows or a comma asks for one.
_STRONG_SIGNOFF = alternation(all_languages("signoffs"))
_WEAK_SIGNOFF = alternation(all_languages("thanks"))
_SIGNOFF = re.compile(
    rf"^(?:(?P<strong>{_STRONG_SIGNOFF})|(?P<weak>{_WEAK_SIGNOFF}))"
    r"(?P<tail>(?:\s*[,.!]*)(?:\s*[,/]?\s*[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,2})?\s*[,.!]*)$",
    re.I)
# Latin letters that look like Cyrillic ones, as mixed-keyboard typing leaves them in Russian lines.
_LOOKALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxy", "АаВСсЕеНКкМОоРрТХху")
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_TAIL_WORD = re.compile(r"[^\W\d_][\w.'’-]*")
# The name after a weak sign-off on its line: "Thanks, Ivan", "Спасибо,Мария!".
_NAME_TAIL = re.compile(r"^[,\s]*[A-ZА-ЯЁ][\w'’-]*(?:\s+[A-ZА-ЯЁ][\w'’.-]*)?[!.]?$")
_NAME_BLOCK_LINES = 4          # a name block without a sign-off: the name and a few short lines under it
_NAME_BLOCK_LINE = 60
_TITLE_MAX_WORDS = 8
_LETTERS = re.compile(r"[^\W\d_]+")
_BARE_NAME = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё'’-]+(?:\s+[A-ZА-ЯЁ][a-zа-яё'’.-]+){0,2}$")
# "—Ryan", "-Lev.", "//Jef": a name after a dash or slashes.
_DASH_NAME = re.compile(r"^(?:[-–—]\s?|//\s?)[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?\.?$")
_CONTACT = re.compile(
    r"\+?\d[\d\s().-]{7,}\d|(?:тел|моб|phone|tel|mob|mobile|cell|факс|fax)\.?\s*[:.]|"
    + EMAIL.pattern + r"|https?://|www\.", re.I)
_DISCLAIMER = re.compile(alternation(all_languages("disclaimers")), re.I)
_MAX_DISCLAIMER_SCAN = 1000    # a disclaimer names itself early in its paragraph
_SIGNATURE_MAX_LINES = 10       # non-blank lines a sign-off block may hold below the sign-off
_SIGNATURE_LINE_MAX = 80        # a signature line is short: name, title, company, phone
_FOOTER_MAX_LINES = 30          # a mobile footer or "-- " block may carry this much below it
_MOBILE_FOOTER_MAX = 120        # "Sent from my iPhone" is one short line (tested first: the pattern is slow on long ones)
# Invisible or decorative leftovers a client drops at the end of the prose (Gmail's "ᐧ").
_JUNK_LINE = re.compile(r"^[\sᐧ\u200b-\u200f\u2060\ufeff]*$")


def split_parts(text: str, quote_hint: int | None = None) -> Parts:
    """quote_hint: offset where an HTML quote (blockquote, gmail_quote) began, if the text came from HTML."""
    lines = _Lines(text)
    new_start, new_end, quoted_start = _new_text_bounds(lines, quote_hint)
    quoted = _trim(text, quoted_start, len(text)) if quoted_start is not None else None
    first = lines.index_at(new_start)
    last = lines.index_at(new_end) if new_end < len(text) else len(lines) - 1
    if new_end > lines.starts[last] or new_end == len(text):
        last += 1
    # Lines [first, last) hold the new text (the last one may be cut where the quote begins).
    opening_line, opening, greeting = _opening(lines, first, last, new_end)
    body_from = greeting[1] if greeting else new_start
    sig_line, footer_line, signoff_line = _signature_start(lines, lines.index_at(body_from) if greeting else first,
                                                           last, has_prose_before=greeting is not None)
    signature = footer = signoff = None
    body_to = new_end
    if sig_line is not None:
        sig_start = max(lines.starts[sig_line], body_from)
        signature = _trim(text, sig_start, new_end)
        body_to = sig_start
        if footer_line is not None:
            footer = _trim(text, lines.starts[footer_line], new_end)
        if signoff_line is not None:
            signoff = _signoff_phrase(lines, signoff_line)
    body = _trim(text, body_from, _drop_junk_tail(lines, body_from, body_to))
    return Parts(greeting=greeting, body=body, signature=signature, quoted=quoted,
                 opening_line=opening_line, opening=opening, signoff=signoff, footer=footer)


# ---------------------------------------------------------------- lines
class _Lines:
    """The text's lines, split once: offsets, stripped contents, and lazily computed facts."""

    def __init__(self, text: str):
        self.text = text
        raw = text.split("\n")
        self.stripped_lines = [line.strip() for line in raw]
        self.nonblank = [i for i, line in enumerate(self.stripped_lines) if line]
        self.starts: list[int] = list(accumulate((len(line) + 1 for line in raw[:-1]), initial=0))
        self._dated: list[bool | None] = [None] * len(raw)
        self._addressed: list[bool | None] = [None] * len(raw)
        self._field: list[str | None] = [None] * len(raw)
        self._named: list[bool | None] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self.starts)

    def end(self, i: int) -> int:
        """Offset just past the line's content (before its newline)."""
        return self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)

    def raw(self, i: int) -> str:
        return self.text[self.starts[i]:self.end(i)].rstrip("\r")

    def stripped(self, i: int) -> str:
        return self.stripped_lines[i]

    def is_blank(self, i: int) -> bool:
        return not self.stripped_lines[i]

    def dated(self, i: int) -> bool:
        """The line names a year, a time or a numeric date."""
        found = self._dated[i]
        if found is None:
            found = self._dated[i] = _DATE.search(self.stripped_lines[i][:_MAX_MARKER_LINE]) is not None
        return found

    def named(self, i: int) -> bool:
        """The line names a date or an address, as every attribution does somewhere."""
        found = self._named[i]
        if found is None:
            found = self._named[i] = self.dated(i) or self.addressed(i)
        return found

    def addressed(self, i: int) -> bool:
        """The line holds an e-mail address."""
        found = self._addressed[i]
        if found is None:
            found = self._addressed[i] = EMAIL.search(self.stripped_lines[i][:_MAX_MARKER_LINE]) is not None
        return found

    def field_kind(self, i: int) -> str:
        """"from", "date" or "other" for a mail header field ("От:", "Sent:", "*To:*"), else ""."""
        found = self._field[i]
        if found is None:
            m = _HEADER_FIELD.match(self.stripped_lines[i][:_MAX_MARKER_LINE])
            found = self._field[i] = _FIELD_KIND.get(m.group(1).lower(), "") if m else ""
        return found

    def nonblank_between(self, first: int, last: int, limit: int | None = None, *, bottom_up: bool = False) -> list[int]:
        """Indices of the lines in [first, last) that hold something (at most `limit` of them,
        from the top, or from the bottom when bottom_up), in that order."""
        lo, hi = bisect_left(self.nonblank, first), bisect_left(self.nonblank, last)
        if limit is not None:
            lo, hi = (max(lo, hi - limit), hi) if bottom_up else (lo, min(hi, lo + limit))
        found = self.nonblank[lo:hi]
        return found[::-1] if bottom_up else found

    def index_at(self, offset: int) -> int:
        """Index of the line holding `offset`."""
        return bisect_right(self.starts, offset) - 1


def _trim(text: str, start: int, end: int) -> Span | None:
    """The span without the whitespace at its edges (None when nothing is left)."""
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped:
        return None
    start += len(segment) - len(segment.lstrip())
    return (start, start + len(stripped))


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
    if marker and marker.kind == "attribution" and not text[:marker.offset].strip():
        after = _skip_quote_block(lines, marker.last_line + 1)
        if after < len(lines):  # _skip_quote_block stops only at a line with words on it
            start = lines.starts[after]
            marker = _first_marker(lines, after)
    quoted = marker.offset if marker else None
    if quote_hint is not None and 0 <= quote_hint <= len(text) and quote_hint >= start:
        quoted = quote_hint if quoted is None else min(quoted, quote_hint)
    end = quoted if quoted is not None else len(text)
    return start, end, quoted


def _skip_quote_block(lines: _Lines, i: int) -> int:
    """First line at or after i that is neither blank nor `>` quoted."""
    for j in lines.nonblank_between(i, len(lines)):
        if not lines.stripped(j).startswith(">"):
            return j
    return len(lines)


def _first_marker(lines: _Lines, first: int) -> _Marker | None:
    trailing = _trailing_quote_line(lines, first)
    # The trailing block's first line may itself end an attribution (">:" after a wrapped address).
    stripped = lines.stripped_lines
    for i in lines.nonblank_between(first, len(lines) if trailing is None else trailing + 1):
        s = stripped[i]
        # Most lines are prose: one cheap test and on.
        if len(s) <= _MAX_MARKER_LINE and (s[-1] in _MARKER_LAST_CHARS or _MARKER_START.match(s)):
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
    for i in reversed(lines.nonblank_between(first, len(lines))):
        if not lines.stripped(i).startswith(">"):
            break
        found = i
    return found


def _marker_at(lines: _Lines, i: int, first: int) -> _Marker | None:
    s = lines.stripped(i)
    if not s or len(s) > _MAX_MARKER_LINE:
        return None
    if _SEPARATOR.match(s):
        return _Marker(_rule_above(lines, i, first), i, "separator", i)
    if _is_header_block(lines, i):
        return _Marker(_rule_above(lines, i, first), i, "header", i)
    if (top := _notes_header_top(lines, i, first)) is not None:
        return _Marker(lines.starts[top], top, "header", i)
    return _attribution_ending_at(lines, i, first)


def _rule_above(lines: _Lines, i: int, first: int) -> int:
    """Start of a rule line ("_____", "-----") just above line i, else of line i itself."""
    j = i - 1
    while j >= first and lines.is_blank(j):
        j -= 1
    if j >= first and _RULE_LINE.match(lines.raw(j)):
        return lines.starts[j]
    return lines.starts[i]


def _notes_header_top(lines: _Lines, i: int, first: int) -> int | None:
    """Lotus Notes quotes a message as its sender and date over To/cc/Subject fields:
    "Larry Joe Hunter\n05/12/99 02:03 PM\nTo: Kelly Minear/HOU/ECT@ECT\ncc: ...\nSubject: ...".
    Line i is the To field; the block starts at the top of the short lines right above it,
    one of which must carry a date."""
    if lines.field_kind(i) != "to":
        return None
    following = {lines.field_kind(j) for j in range(i + 1, min(len(lines), i + 1 + _HEADER_LOOKAHEAD))}
    if not following & {"other", "date"}:
        return None
    top, dated = None, False
    for j in range(i - 1, max(first, i - _NOTES_SENDER_LINES) - 1, -1):
        if lines.is_blank(j) or len(lines.stripped(j)) > _SIGNATURE_LINE_MAX:
            break
        top, dated = j, dated or lines.dated(j)
    return top if dated else None


def _is_header_block(lines: _Lines, i: int) -> bool:
    """A From/Date line followed closely by other header fields (Sent, To, Subject, ...)."""
    kind = lines.field_kind(i)
    if kind not in ("from", "date"):
        return False
    kinds = {kind} | {lines.field_kind(j) for j in range(i + 1, min(len(lines), i + 1 + _HEADER_LOOKAHEAD))}
    kinds.discard("")
    return len(kinds) >= 2


def _attribution_ending_at(lines: _Lines, i: int, first: int) -> _Marker | None:
    """An attribution ("On ... wrote:", "ср, 3 дек. 2025 г. в 10:15, Иван <...>:") ending at line i."""
    s = _unquote(lines.stripped(i))
    if not s:
        return None
    if s[0] in "-0123456789" and (_DASHED_WROTE.match(s) or _ISO_DATE_LINE.match(s)):
        return _Marker(lines.starts[i], i, "attribution", i)
    verb = _VERB_END.search(s) is not None
    if not (verb or _COLON_END.search(s)):
        return None
    if not any(map(lines.named, range(max(first, i - _ATTRIBUTION_WRAP), i + 1))):
        return None  # an attribution names a date or an address somewhere in its lines
    if _is_attribution(lines, i, i, verb, complete=True):
        return _Marker(_inline_start(lines, i, s), i, "attribution", i)
    # Wrapped over several lines: walk up to the line the attribution starts on.
    for j in range(i - 1, max(first, i - _ATTRIBUTION_WRAP) - 1, -1):
        above = _unquote(lines.stripped(j))
        if len(above) > _MAX_MARKER_LINE or _ends_prose(lines, j):
            break
        if above and _ATTRIBUTION_START.search(above) and _is_attribution(lines, j, i, verb, complete=True):
            return _Marker(lines.starts[j], j, "attribution", i)
    if _is_attribution(lines, i, i, verb, complete=False):
        return _Marker(_inline_start(lines, i, s), i, "attribution", i)
    return None


def _attribution_above(lines: _Lines, quote: int, first: int) -> _Marker | None:
    """The attribution just above a trailing `>` block, whatever its language:
    a line (or up to three wrapped ones) ending with ":" that names a date or an address."""
    end = quote - 1
    while end >= first and lines.is_blank(end):
        end -= 1
    if end < first or not _COLON_END.search(lines.stripped(end)) or len(lines.stripped(end)) > _MAX_MARKER_LINE:
        return None
    if len(lines.stripped(end)) <= _SHORT_ATTRIBUTION and _VERB_END.search(lines.stripped(end)):
        return _Marker(lines.starts[end], end, "attribution", end)  # "Иван Петров пишет:" over the quote
    best = None
    for top in range(end, max(first, end - 2) - 1, -1):
        if top < end and (lines.is_blank(top) or _ends_prose(lines, top)):
            break
        named = any(map(lines.named, range(top, end + 1)))
        if named and _ATTRIBUTION_START.search(lines.stripped(top)):
            best = top  # keep going: prefer the longest wrap that still starts like one
    return _Marker(lines.starts[best], best, "attribution", end) if best is not None else None


def _ends_prose(lines: _Lines, i: int) -> bool:
    """A sentence ends on line i, so an attribution cannot be wrapped across it
    (unless the line names a date or an address: "... schrieb am Fr., 28.")."""
    s = lines.stripped(i)
    return bool(s) and s[-1] in ".!?:;" and not (lines.addressed(i) or lines.dated(i))


def _unquote(s: str) -> str:
    return s.lstrip("> ").strip() if s.startswith(">") else s


def _is_attribution(lines: _Lines, top: int, end: int, verb: bool, *, complete: bool) -> bool:
    """Lines top..end form an attribution. verb: the last line ends with "wrote:" or a cousin.
    complete: it names a date; otherwise an address is enough ("Name <a@b> wrote:")."""
    dated = any(lines.dated(j) for j in range(top, end + 1))
    addressed = any(lines.addressed(j) for j in range(top, end + 1))
    if verb:
        return dated if complete else addressed
    return dated and addressed


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
def _opening(lines: _Lines, first: int, last: int, new_end: int) -> tuple[Span | None, Opening | None, Span | None]:
    """The first line of the new text, what opens it (`mail_lint.opening`), and the greeting's span:
    the phrase and address with their closing mark ("Добрый день, Мария!", "Hi John,"), or a bare
    address alone on its line ("Мария!"). A bare address with more on the line ("Иван Петрович,
    направляю договор") is left in the body: only the greeting check can tell a name there."""
    top = lines.nonblank_between(first, last, _PREAMBLE_LINES + 1)
    if not top:
        return None, None, None
    line, opening = _line_opening(lines, top[0], new_end)
    # An address block over the greeting ("ООО «Кровля-Сервис»\n\nУважаемые коллеги,"): the greeting is below.
    for i in top[1:] if (opening is None or opening.bare) and _is_preamble(lines.stripped(top[0])) else ():
        below_line, below = _line_opening(lines, i, new_end)
        if below is not None and not below.bare:
            line, opening = below_line, below
            break
        if not _is_preamble(lines.stripped(i)):
            break
    s = lines.text[line[0]:line[1]]
    if opening is None:
        return line, None, None
    if opening.bare:
        if len(s) > _MAX_MARKER_LINE or not _ADDRESS_LINE.match(s) or s.split()[0].strip(",!").lower() in _NOT_NAMES:
            return line, opening, None
        return line, opening, line
    end = _GREETING_PUNCTUATION.match(lines.text, opening.end, line[1]).end()
    return line, opening, (opening.start, end)


def _line_opening(lines: _Lines, i: int, new_end: int) -> tuple[Span, Opening | None]:
    s = lines.stripped(i)
    line_start = lines.starts[i] + lines.raw(i).find(s)
    line = (line_start, min(line_start + len(s), new_end))
    return line, read_opening(lines.text, line_start, min(line[1], line_start + _MAX_MARKER_LINE))


def _is_preamble(s: str) -> bool:
    """A short line that neither greets nor says anything: a company or a person the email is for."""
    return len(s) <= _PREAMBLE_LINE and not s.endswith((".", "!", "?", ",", ":", ";"))


def _signature_start(lines: _Lines, first: int, last: int, *,
                     has_prose_before: bool) -> tuple[int | None, int | None, int | None]:
    """(first signature line, first footer line, sign-off line) within lines [first, last); None: absent."""
    nonblank = [i for i in _last_nonblank(lines, first, last, _FOOTER_MAX_LINES + 1)]
    if not nonblank:
        return None, None, None
    footer = _footer_line(lines, nonblank, first)
    if footer is not None and _DELIMITER.match(lines.raw(footer)):
        # "--" over a typed sign-off ("--\nС уважением,\nИван") opens the signature, it is no footer
        below = _signoff_line(lines, footer + 1, last, True, False)
        if below is not None and _SIGNOFF.match(_unconfused(lines.stripped(below))):
            return footer, _footer_line(lines, [i for i in nonblank if i > below], below + 1), below
    limit = footer if footer is not None else last
    start = _signoff_line(lines, first, limit, has_prose_before, footer is not None)
    signoff = start if start is not None and _SIGNOFF.match(_unconfused(lines.stripped(start))) else None
    if start is None and footer is None:
        start = _contact_block(lines, first, limit)
    if start is None:
        start = _name_block(lines, first, limit, has_prose_before)
    return (start if start is not None else footer), footer, signoff


def _unconfused(line: str) -> str:
    """A Russian line with Latin look-alike letters read as Cyrillic ("C уважением" typed with a Latin C)."""
    return line.translate(_LOOKALIKES) if _CYRILLIC.search(line) else line


def _signoff_phrase(lines: _Lines, i: int) -> Span:
    """The sign-off phrase on line i ("С уважением" of "С уважением, Иван"), without what follows it."""
    s = lines.stripped(i)
    m = _SIGNOFF.match(_unconfused(s))
    start = lines.starts[i] + lines.raw(i).find(s)
    return (start, start + m.end("strong" if m.group("strong") is not None else "weak"))


def _last_nonblank(lines: _Lines, first: int, last: int, count: int) -> list[int]:
    """Up to `count` non-blank lines of [first, last), from the bottom up."""
    return lines.nonblank_between(first, last, count, bottom_up=True)


def _first_nonblank(lines: _Lines, first: int, last: int) -> int | None:
    found = lines.nonblank_between(first, last, 1)
    return found[0] if found else None


def _footer_line(lines: _Lines, bottom_up: list[int], first: int) -> int | None:
    """The topmost "-- " delimiter, mobile footer or disclaimer among the last lines."""
    found = None
    for n, i in enumerate(bottom_up):
        s = lines.stripped(i)
        if len(s) <= _MOBILE_FOOTER_MAX and _MOBILE_FOOTER.match(s):
            found = i
        elif _DELIMITER.match(lines.raw(i)) and n < 15:
            found = i
        elif _DISCLAIMER.search(s[:_MAX_DISCLAIMER_SCAN]) and (found is not None or n < 6) and _is_last_paragraphs(lines, i, bottom_up):
            found = _paragraph_start(lines, i, first)
    return found


def _is_last_paragraphs(lines: _Lines, i: int, bottom_up: list[int]) -> bool:
    """A disclaimer sits at the end: below it come only long legal lines or other footers."""
    return all(len(lines.stripped(j)) > 40 or _MOBILE_FOOTER.match(lines.stripped(j)) or
               _DISCLAIMER.search(lines.stripped(j)[:_MAX_DISCLAIMER_SCAN]) for j in bottom_up if j > i)


def _paragraph_start(lines: _Lines, i: int, first: int) -> int:
    while i - 1 >= first and not lines.is_blank(i - 1):
        i -= 1
    return i


def _signoff_line(lines: _Lines, first: int, limit: int, has_prose_before: bool, above_footer: bool) -> int | None:
    """The sign-off ("С уважением,", "Best regards,") whose tail down to `limit` is short lines."""
    dash_name = None  # "—Ryan" under the prose, unless a sign-off stands above it
    for below, i in enumerate(lines.nonblank_between(first, limit, _SIGNATURE_MAX_LINES + 1, bottom_up=True)):
        s = lines.stripped(i)
        if len(s) > _SIGNATURE_LINE_MAX:
            break
        m = _SIGNOFF.match(_unconfused(s)) if len(s) <= 60 else None
        if m and _signoff_counts(m, below, lines, i, first, has_prose_before, above_footer):
            return i
        if _DASH_NAME.match(s) and below <= 1 and _prose_above(lines, i, first, has_prose_before):
            dash_name = i
    return dash_name


def _signoff_counts(m: re.Match, below: int, lines: _Lines, i: int, first: int, has_prose_before: bool,
                    above_footer: bool) -> bool:
    """A strong sign-off always ends the prose. A weak one ("Спасибо", "Thanks") does when a
    comma or a name follows it, when a "-- " block or mobile footer follows right below it,
    or when the lines below it are a name and contacts, not sentences."""
    tail = m.group("tail").strip()
    if m.group("strong"):
        # Even on the first line (a message of nothing but a signature); a name may follow
        # ("Best regards, Ivan"), other words may not ("Best price for you!").
        return all(word[0].isupper() for word in _TAIL_WORD.findall(tail))
    if not _prose_above(lines, i, first, has_prose_before):
        return False
    if below:
        return below <= 3 and not any(_is_sentence(lines.stripped(j))
                                      for j in lines.nonblank_between(i + 1, len(lines), below))
    named = bool(_NAME_TAIL.match(tail))
    bare = not _TAIL_WORD.search(tail)  # "Спасибо!", "Thanks," - not "Thanks for your attention."
    return named or (bare and (above_footer or tail.endswith(",")))


def _name_block(lines: _Lines, first: int, limit: int, has_prose_before: bool) -> int | None:
    """A name or a role closing the message without a sign-off, alone or over a few short lines:
    "...пришлю договор.\nИван", "Соколова Анна\nГлавный бухгалтер", "Главный бухгалтер"."""
    last = lines.nonblank_between(first, limit, 1, bottom_up=True)
    if not last:
        return None
    top = last[0]
    while top - 1 >= first and last[0] - top + 1 < _NAME_BLOCK_LINES and _name_block_line(lines.stripped(top - 1)):
        top -= 1                      # up the short lines over the last one, to a blank line or a sentence
    if not _name_block_line(lines.stripped(last[0])) or not _prose_above(lines, top, first, has_prose_before):
        return None
    block = [lines.stripped(j) for j in range(top, last[0] + 1)]
    head = block[0]
    if (_BARE_NAME.match(head) and head.split()[0].lower() not in _NOT_NAMES) or is_job_title(head):
        return top
    return None


def _name_block_line(s: str) -> bool:
    return bool(s) and len(s) <= _NAME_BLOCK_LINE and not _is_sentence(s) and not _SIGNOFF.match(s)


def is_job_title(text: str) -> bool:
    """A job title or a department ("Главный бухгалтер", "Sales Manager", "Отдел продаж"): a few words,
    one of them starting like a title in `mail_lint/data/<lang>/job_titles.txt`."""
    words = _LETTERS.findall(text.lower())
    stems = all_languages("job_titles")
    return 0 < len(words) <= _TITLE_MAX_WORDS and any(w.startswith(stem) for w in words for stem in stems)


def _is_sentence(s: str) -> bool:
    return s.endswith((".", "!", "?", ":")) and not _CONTACT.search(s) and len(s.split()) > 2


def _prose_above(lines: _Lines, i: int, first: int, has_prose_before: bool) -> bool:
    return has_prose_before or _first_nonblank(lines, first, i) is not None


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
