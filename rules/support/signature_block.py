"""Read the signature block the splitter found (`message.parts.signature`) into its fields.

The splitter decides where the block is: the sign-off ("С уважением,", "Best regards,") and the short
lines after it, a name-and-contacts block, a bare name, or a footer. Here the block is read: the full name,
job title, company, phones, emails, websites; each a span in the message text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mail_lint.model import Message, Span
from mail_lint.parts import EMAIL, is_job_title
from mail_lint.rules.support.names import name_key
from mail_lint.rules.support.wordlists import load_list
from mail_lint.text import NAME_WORD
from mail_lint.wordlists import all_languages, alternation

_SHORT_LINE = 80
_INLINE_TAIL = 250        # how far from the end the sender's name may close a text without line breaks
_TRAILING_BLOCK_LINES = 10

_URL = re.compile(r"(?:https?://|www\.)[^\s,;<>]+|(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\."
                  r"(?:ru|com|рф|net|org|io|biz|info|su|pro|online|tech|co|eu|de|uk|kz|by)\b(?:/[^\s,;]*)?", re.I)
_PHONE_CANDIDATE = re.compile(r"(?<![\w+/])\+?\(?\d[\d\s().\-–]{4,}\d(?:\s*(?:доб\.?|ext\.?|x)\s*\d{1,6})?", re.I)
_PHONE_LABEL = re.compile(r"(тел|моб|сот|факс|phone|tel|mob|cell|fax|whatsapp|telegram|\b[tmф])\W*$", re.I)
_NOT_PHONE_LABEL = re.compile(r"(инн|кпп|огрн|огрнип|бик|р/с|к/с|окпо|окв|счет|счёт|№|n[or]\.?)\W*$", re.I)
# How far before a number its label ("тел.:", "ИНН") is looked for: not the whole line before each number.
_LABEL_LOOKBACK = 40
_NOT_PHONE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$|^\d{4}-\d\d-\d\d|^\d{1,3}(?:\.\d{1,3}){3}$|--")  # dates, IPs
_COMPANY_MARKER = re.compile(
    r"(?<![\w])(ООО|АО|ПАО|ЗАО|ОАО|НАО|ИП|ГК|НПО|НПП|ФГУП|МУП|LLC|Inc|Ltd|GmbH|Corp|Corporation|Company|"
    r"Group|Holding|Limited|PLC|AG)(?![\w])|Группа компаний|Компания\s", re.U)
# Opening and closing marks: «ООО «Альфа»» names a company; a quote of 15+ characters is an aphorism.
_GUILLEMETS = (re.compile("«"), re.compile("»"))
_QUOTATION_MARKS = (re.compile(r"[«\"“„]"), re.compile(r"[»\"”]"))
_QUOTE_MIN_CHARS = 15
_ATTRIBUTION = re.compile(r"^\s*[—–-]\s*[A-ZА-ЯЁ][\w.]*(?:\s+[A-ZА-ЯЁ][\w.]*){0,2}\s*$")
# "Контактное лицо: ", "Contact person: ", "Менеджер: " before a name in a signature.
_NAME_LABEL = re.compile(r"^(?:контактное\s+лицо|контакт|ответственный|исполнитель|менеджер|contact(?:\s+person)?|"
                         r"manager)\s*:\s*", re.I)
_NAME_LINE = re.compile(r"^[A-ZА-ЯЁ][\w’'-]*\.?(?:\s+[A-ZА-ЯЁ][\w’'-]*\.?){0,3}$")
# Spaces before a separator are taken from the start of their run only: tried from each space of a long
# run without a separator, "\s*" would rescan the rest of the run every time.
_SEPARATORS = re.compile(r"(?:(?<!\s)\s+)?(?:\||•|·|\s[—–]\s|,)\s*")
_SIGNOFF_TAIL = re.compile(r"^[,!.\s—–-]*")
_WEBMAIL = frozenset({"gmail", "mail", "yandex", "ya", "outlook", "hotmail", "bk", "list", "inbox", "rambler",
                      "icloud", "yahoo", "live", "me", "protonmail", "proton"})


@dataclass
class Line:
    start: int
    end: int
    text: str


@dataclass
class Signature:
    span: Span
    lines: list[Line]                         # its non-empty lines, the sign-off first when there is one
    signoff: Line | None = None
    footer: int | None = None                 # where the machine-made footer starts ("-- ", "Sent from my iPhone")
    name: str = ""
    name_span: Span | None = None
    title: bool = False
    company: list[Line] = field(default_factory=list)
    phones: list[tuple[int, int, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)


def _lines(text: str, start: int, end: int) -> list[Line]:
    out, pos = [], start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _name_after(line: Line, phrase_end: int) -> str:
    """The name that follows the sign-off on its line ("С уважением, Иван"), or ""."""
    tail = _SIGNOFF_TAIL.sub("", line.text[phrase_end - line.start:]).strip()
    return tail if _NAME_LINE.match(tail) else ""


def find(message: Message, spellings: tuple[str, ...] = ()) -> Signature | None:
    """The signature block the splitter found, read into fields; `spellings`: the company's accepted names
    (`[signature] company`). Without one, the last paragraph when it is a few short lines carrying contacts
    or the company (the splitter cannot know the company's names)."""
    parts, text, end = message.parts, message.text, message.new_text_end
    if parts.signature is None:
        return _signed_inline(message, spellings) or _trailing_block(text, end, message, spellings)
    block = _lines(text, *parts.signature)
    if not block:
        return None
    signoff = block[0] if parts.signoff and block[0].start == parts.signoff[0] else None
    sig = Signature((block[0].start, block[-1].end), block, signoff=signoff,
                    footer=parts.footer[0] if parts.footer else None)
    return _read(sig, message, spellings, parts.signoff[1] if signoff else None)


def _signed_inline(message: Message, spellings: tuple[str, ...]) -> Signature | None:
    """The sender's own name closing the text on its last line, after a sentence, a "--" or a sign-off:
    "...most recent inquiry?  Sara", "Please give me a call.  Thanks.  Sara", or mail whose line breaks
    were lost ("... сроки поставки -- С Уважением Валентина Попова ООО «Ресурс» тел.: ...")."""
    names = [w for w in NAME_WORD.findall(message.sender.name) if len(w) > 1] if message.sender else []
    if not names:
        return None
    text, end = message.text, len(message.new_text.rstrip())
    m = _inline_name_pattern(tuple(names)).search(text, max(0, end - _INLINE_TAIL), end)
    if m is None:
        return None
    line = Line(m.start("name"), end, text[m.start("name"):end])
    sig = Signature((line.start, line.end), [line], name=m.group("name"), name_span=(m.start("name"), m.end("name")))
    return _read(sig, message, spellings)


@lru_cache(maxsize=64)
def _inline_name_pattern(names: tuple[str, ...]) -> re.Pattern:
    signoffs = alternation(all_languages("signoffs") | all_languages("thanks"))
    name = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?:[.!?…]\s+|--\s*|(?i:{signoffs})[,.!]?\s+)(?P<name>(?:{name})(?:\s+(?:{name}))*)(?!\w)")


def _trailing_block(text: str, end: int, message: Message, spellings: tuple[str, ...]) -> Signature | None:
    """No sign-off: the last paragraph, if it is a few short lines carrying contacts or a company."""
    body_end = len(text[:end].rstrip())
    para_start = text.rfind("\n\n", 0, body_end)
    if para_start < 0:
        return None
    block = _lines(text, para_start, body_end)
    if not block or len(block) > _TRAILING_BLOCK_LINES or any(len(ln.text) > _SHORT_LINE for ln in block):
        return None
    sig = _read(Signature((block[0].start, block[-1].end), block), message, spellings)
    return sig if (sig.phones or sig.emails or sig.company or sig.websites) else None


def phone_spans(line: Line) -> list[tuple[int, int, str]]:
    out = []
    for m in _PHONE_CANDIDATE.finditer(line.text):
        candidate = m.group().strip(" -–.")
        digits = sum(ch.isdigit() for ch in candidate)
        label_from = max(0, m.start() - _LABEL_LOOKBACK)
        if _NOT_PHONE_LABEL.search(line.text, label_from, m.start()) or _NOT_PHONE.search(candidate):
            continue
        labelled = bool(_PHONE_LABEL.search(line.text, label_from, m.start()))
        bare_run = candidate.isdigit()
        if (10 <= digits <= 15 and not (bare_run and not labelled and not candidate.startswith(("8", "7")))) or \
                (labelled and digits >= 5):
            start = line.start + m.start() + (m.group().find(candidate))
            out.append((start, start + len(candidate), candidate))
    return out


def _sender_domain_key(message: Message) -> str:
    if not message.sender or "@" not in message.sender.email:
        return ""
    label = message.sender.email.split("@", 1)[1].split(".")[0]
    return "" if label in _WEBMAIL or len(label) < 3 else name_key(label)


def is_company(text: str, spellings: list[str], domain_key: str) -> bool:
    low = text.lower()
    if any(s.lower() in low for s in spellings):
        return True
    if _COMPANY_MARKER.search(text) or _quoted(text, *_GUILLEMETS, min_chars=1) is not None:
        return True
    return bool(domain_key) and len(domain_key) >= 4 and domain_key in name_key(text)


def _quoted(text: str, opening: re.Pattern, closing: re.Pattern, min_chars: int) -> str | None:
    """What the first opening mark encloses up to the next closing mark, if that is min_chars or more: the
    regex `opening([^closing]{min_chars,})closing`, walked once. As a regex it rescans the rest of the
    line from every opening mark of a long run of them, which is quadratic."""
    start = opening.search(text)
    while start:
        end = closing.search(text, start.end())
        if end is None:
            return None
        if end.start() - start.end() >= min_chars:
            return text[start.end():end.start()]
        start = opening.search(text, end.start())  # marks opened before this one enclose even less
    return None


def _person_name(line: Line, company: bool) -> tuple[str, Span] | None:
    """The name on a line of one to four capitalised words that is neither a job title nor a company,
    in either order («Соколова Анна»), after a label («Контактное лицо: Алексей Гордеев») and before a
    trailing comma («Макаренко Татьяна,»)."""
    label = _NAME_LABEL.match(line.text)
    start = label.end() if label else 0
    text = line.text[start:].rstrip(",;")
    if company and not label or not _NAME_LINE.match(text) or is_job_title(text):
        return None
    return text, (line.start + start, line.start + start + len(text))


def _read(sig: Signature, message: Message, spellings: tuple[str, ...], phrase_end: int | None = None) -> Signature:
    domain_key = _sender_domain_key(message)
    content = list(sig.lines)
    if sig.signoff:
        content = content[1:]
        tail = _name_after(sig.signoff, phrase_end) if phrase_end is not None else ""
        if tail:
            offset = sig.signoff.end - len(tail)
            sig.name, sig.name_span = tail, (offset, sig.signoff.end)
    for line in content:
        phones = phone_spans(line)
        sig.phones.extend(phones)
        emails = EMAIL.findall(line.text)
        sig.emails.extend(emails)
        rest = EMAIL.sub(" ", line.text)
        sig.websites.extend(_URL.findall(rest))
        if phones or emails:
            continue
        company = is_company(line.text, list(spellings), domain_key) and not _URL.fullmatch(line.text)
        if not sig.name and (person := _person_name(line, company)):
            sig.name, sig.name_span = person
            continue
        if any(is_job_title(s) for s in _SEPARATORS.split(line.text)):
            sig.title = True
        if company:
            sig.company.append(line)
    return sig


def quotes_and_banners(sig: Signature, banned: list[str]) -> list[Line]:
    """Lines that do not belong in a business signature: app banners, quotes and aphorisms."""
    markers = [b.lower() for b in banned] + sorted(load_list("ru", "signature_banners") |
                                                    load_list("en", "signature_banners"))
    out = []
    for line in sig.lines:
        low = line.text.lower()
        quote = _quoted(line.text, *_QUOTATION_MARKS, min_chars=_QUOTE_MIN_CHARS)
        if any(m in low for m in markers) or _ATTRIBUTION.match(line.text) or \
                (quote and len(quote.split()) >= 4):
            out.append(line)
    return out
