"""Raw RFC 822 bytes to headers, the text the recipient reads, and attachments."""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import Message as EmailMessage

from .errors import UnusableInput
from .html_text import html_to_text
from .model import Attachment


@dataclass
class MimeContent:
    headers: dict[str, str]
    text: str
    quote_start: int | None = None
    attachments: list[Attachment] = field(default_factory=list)


def _decode_payload(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("utf-8", errors="replace")


def _header_str(raw_value: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogate escapes; most clients mean UTF-8 by them."""
    data = raw_value.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def read_mime(raw: bytes) -> MimeContent:
    if not raw.strip():
        raise UnusableInput("empty message")
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = {k.lower(): _header_str(v) for k, v in msg._headers}
    plain = html = None
    attachments: list[Attachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True) or b""
            attachments.append(Attachment(filename or "", ctype, len(data)))
        elif ctype == "text/plain" and plain is None:
            plain = _decode_payload(part)
        elif ctype == "text/html" and html is None:
            html = _decode_payload(part)
    if plain is not None:
        return MimeContent(headers, plain.replace("\r\n", "\n"), None, attachments)
    if html is not None:
        converted = html_to_text(html)
        return MimeContent(headers, converted.text, converted.quote_start, attachments)
    return MimeContent(headers, "", None, attachments)
