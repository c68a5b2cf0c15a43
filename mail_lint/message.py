"""Build a `Message` from raw RFC 822 bytes or from a draft (subject, text or HTML, recipients)."""
from __future__ import annotations

import email.utils
import re
from datetime import datetime
from email.header import decode_header, make_header

from .errors import UnusableInput
from .html_text import html_to_text
from .language import detect_language
from .mime import read_mime
from .model import Address, Attachment, Message
from .parts import split_parts

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,75}:[ \t]?\S?")
_KNOWN_HEADERS = {b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received",
                  b"return-path", b"mime-version", b"content-type", b"delivered-to", b"reply-to",
                  b"x-mailer", b"in-reply-to", b"references", b"sender", b"dkim-signature"}


def looks_like_rfc822(data: bytes) -> bool:
    """Input that begins with RFC 822 headers is a message; anything else is a draft."""
    head = data.lstrip(b"\r\n")[:4096].split(b"\n", 8)
    names = [ln.split(b":", 1)[0].strip().lower() for ln in head[:8] if _HEADER_LINE.match(ln)]
    return bool(names) and _HEADER_LINE.match(head[0]) is not None and any(n in _KNOWN_HEADERS for n in names)


def decode_header_value(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(make_header(decode_header(value))).strip()
    except (LookupError, UnicodeDecodeError, ValueError, email.errors.HeaderParseError):
        return value.strip()


def parse_addresses(value: str | list[str] | None) -> list[Address]:
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    out = []
    for name, addr in email.utils.getaddresses([decode_header_value(v) for v in values]):
        if name or addr:
            out.append(Address(name.strip(), addr.strip().lower()))
    return out


def parse_date(value: str | datetime | None) -> datetime | None:
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
    except (TypeError, ValueError, IndexError):
        return None


def _build(text: str, quote_hint: int | None, **fields) -> Message:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = split_parts(text, quote_hint)
    language = fields.pop("language", None)
    msg = Message(text=text, parts=parts, **fields)
    msg.language = language or detect_language(msg.span_text(msg.writing) or msg.new_text)
    return msg


def parse(raw: bytes) -> Message:
    """Parse a raw RFC 822 message. Raises UnusableInput with a one-line reason."""
    content = read_mime(raw)
    h = content.headers
    return _build(
        content.text, content.quote_start,
        subject=decode_header_value(h.get("subject")),
        sender=next(iter(parse_addresses(h.get("from"))), None),
        to=parse_addresses(h.get("to")), cc=parse_addresses(h.get("cc")), bcc=parse_addresses(h.get("bcc")),
        date=parse_date(h.get("date")), message_id=(h.get("message-id") or "").strip(),
        attachments=content.attachments, size=len(raw), headers=h,
    )


def from_draft(*, text: str = "", html: str = "", subject: str = "", sender: str = "",
               to: list[str] | str | None = None, cc: list[str] | str | None = None,
               date: str | datetime | None = None, attachments: list[Attachment] | None = None,
               language: str | None = None, message_id: str = "") -> Message:
    """A draft typed or pasted by a manager: no MIME, just the fields."""
    quote_hint = None
    if html and not text:
        converted = html_to_text(html)
        text, quote_hint = converted.text, converted.quote_start
    if language not in (None, "", "ru", "en"):
        raise UnusableInput(f"language must be 'ru' or 'en', not {language!r}")
    return _build(
        text, quote_hint, subject=subject, sender=next(iter(parse_addresses(sender)), None),
        to=parse_addresses(to), cc=parse_addresses(cc), date=parse_date(date), message_id=message_id,
        attachments=list(attachments or []), size=len(text.encode()) + len(html.encode()),
        language=language or None,
    )


def read_input(data: bytes, **draft_fields) -> Message:
    """CLI input: RFC 822 bytes when it begins with headers, otherwise a plain-text draft."""
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
