"""Build a `Message` from raw RFC 822 bytes or from a draft (subject, text or HTML, recipients)."""
from __future__ import annotations

import email.parser
import email.policy
import email.utils
import re
from datetime import datetime

from .dates import in_range
from .errors import UnusableInput
from .html_text import html_to_text
from .language import detect_language
from .mime import MAX_TEXT_CHARS, decode_header_text, read_mime
from .model import Address, Attachment, Message, Parts
from .parts import split_parts
from .verdict import TRUNCATED

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,75}:[ \t]?\S?")
_KNOWN_HEADERS = {b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received",
                  b"return-path", b"mime-version", b"content-type", b"delivered-to", b"reply-to",
                  b"x-mailer", b"in-reply-to", b"references", b"sender", b"dkim-signature"}


_LEADING_BLANK = re.compile(rb"\A(?:[ \t]*\r?\n)+")
_MBOX_FROM = re.compile(rb"\AFrom [^\r\n]*\r?\n")  # the mbox envelope line ("From a@b Mon May 2 ...")


def _strip_envelope(data: bytes) -> bytes:
    """Blank lines and an mbox "From " line before the headers are not part of the message."""
    data = _LEADING_BLANK.sub(b"", data[:1024]) + data[1024:]
    return _MBOX_FROM.sub(b"", data, count=1)


def looks_like_rfc822(data: bytes) -> bool:
    """Input that begins with RFC 822 headers is a message; anything else is a draft."""
    head = _strip_envelope(data[:8192])[:4096].split(b"\n", 8)
    names = [ln.split(b":", 1)[0].strip().lower() for ln in head[:8] if _HEADER_LINE.match(ln)]
    return bool(names) and _HEADER_LINE.match(head[0]) is not None and any(n in _KNOWN_HEADERS for n in names)


def decode_header_value(value: str | None) -> str:
    """RFC 2047 words and mislabelled charsets decoded; never raises."""
    return decode_header_text(value)


def parse_addresses(value: str | list[str] | None) -> list[Address]:
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    out = []
    # Split first, decode the display names after: a decoded name may contain a comma.
    for name, addr in email.utils.getaddresses([str(v) for v in values]):
        name, addr = decode_header_value(name), decode_header_value(addr)
        if name or addr:
            out.append(Address(name.strip(), addr.strip().lower()))
    return out


def read_date(value: str | datetime | None) -> datetime | None:
    """ISO 8601 or RFC 2822, any year; None when it is not a date at all."""
    if isinstance(value, datetime) or value is None:
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def parse_date(value: str | datetime | None) -> datetime | None:
    """A message's date; None when unreadable or outside the supported years (a Date header in
    year 9999 is as unusable as a garbled one: see mail_lint.dates)."""
    moment = read_date(value)
    return moment if moment is not None and in_range(moment) else None


def _build(text: str, quote_hint: int | None, truncated: bool = False, **fields) -> Message:
    """The message of a text, raw or drafted; a text over MAX_TEXT_CHARS is cut there, as `truncated` records."""
    if "\x00" in text:  # no text is made of NUL bytes (and PostgreSQL refuses them): gone before spans exist
        quote_hint = None if quote_hint is None else quote_hint - text.count("\x00", 0, quote_hint)
        text = text.replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_CHARS:
        text, truncated = text[:MAX_TEXT_CHARS], True
    parts = split_parts(text, quote_hint)
    language = fields.pop("language", None)
    msg = Message(text=text, parts=parts, truncated=truncated, **fields)
    prose = msg.span_text(msg.writing)
    msg.language = language or (detect_language(prose, prose=True) if prose else detect_language(msg.new_text))
    return msg


def header_message_id(raw: bytes) -> str:
    """The Message-ID from the headers alone, "" when there is none. Names mail whose body could not
    be read, so it never raises itself."""
    try:
        head = _strip_envelope(raw[:65536])
        end = re.search(rb"\r?\n\r?\n", head)
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
            head[:end.start()] if end else head)
        return decode_header_value(str(headers.get("message-id") or "")).strip()
    except Exception:  # noqa: BLE001 - the caller falls back to an id made from the bytes
        return ""


def parse(raw: bytes) -> Message:
    """Parse a raw RFC 822 message. Raises UnusableInput with a one-line reason."""
    content = read_mime(_strip_envelope(raw))
    h, raw_h = content.headers, content.raw_headers
    return _build(
        content.text, content.quote_start, content.truncated,
        subject=h.get("subject", ""),
        sender=next(iter(parse_addresses(raw_h.get("from"))), None),
        to=parse_addresses(raw_h.get("to")), cc=parse_addresses(raw_h.get("cc")),
        bcc=parse_addresses(raw_h.get("bcc")),
        date=parse_date(h.get("date")), message_id=(h.get("message-id") or "").strip(),
        attachments=content.attachments, size=len(raw), headers=h,
    )


def from_draft(*, text: str = "", html: str = "", subject: str = "", sender: str = "",
               to: list[str] | str | None = None, cc: list[str] | str | None = None,
               date: str | datetime | None = None, attachments: list[Attachment] | None = None,
               language: str | None = None, message_id: str = "") -> Message:
    """A draft typed or pasted by a manager: no MIME, just the fields."""
    quote_hint, truncated = None, False
    if html and not text:
        converted = html_to_text(html)
        text, quote_hint, truncated = converted.text, converted.quote_start, converted.truncated
    if language not in (None, "", "ru", "en"):
        raise UnusableInput(f"language must be 'ru' or 'en', not {language!r}")
    return _build(
        text, quote_hint, truncated, subject=subject, sender=next(iter(parse_addresses(sender)), None),
        to=parse_addresses(to), cc=parse_addresses(cc), date=parse_date(date), message_id=message_id,
        attachments=list(attachments or []), size=len(text.encode()) + len(html.encode()),
        language=language or None,
    )


def read_input(data: bytes, **draft_fields) -> Message:
    """CLI input: RFC 822 bytes when it begins with headers, otherwise a plain-text draft."""
    if not data.strip():
        raise UnusableInput("empty input: neither an email nor a draft")
    if looks_like_rfc822(data):
        return parse(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is None:
            raise UnusableInput("not text: the input is neither an email nor a readable draft") from None
        text = str(best)
    return from_draft(text=text, **draft_fields)


def from_verdict(verdict: dict) -> Message:
    """The message a stored verdict was made from, for linting it again (e.g. once grammar is back).

    The verdict carries the text, its parts and the headers that the checks read, so no raw mail is needed.
    """
    head = verdict["message"]
    spans = {k: tuple(v) if v else None for k, v in verdict["parts"].items()}
    return Message(
        text=verdict["text"], parts=Parts(**spans), language=head["language"], subject=head["subject"],
        sender=next(iter(parse_addresses(head["from"])), None), to=parse_addresses(head["to"]),
        cc=parse_addresses(head["cc"]), date=parse_date(head["date"]), message_id=head["message_id"],
        attachments=[Attachment(a["filename"], a["content_type"], a["size"]) for a in head["attachments"]],
        truncated=any(f["name"] == TRUNCATED for f in verdict["findings"]),
    )
