"""Raw RFC 822 bytes to headers, the text the recipient reads, and attachments.

Real mail is often broken (missing boundaries, wrong charsets, endless nesting), so every step
has a bounded, forgiving fallback: a message comes out whenever any text or header can be had,
and `UnusableInput` is raised only when nothing usable remains, or when the structure itself is
hostile (MIME nested past MAX_NESTING, which would exhaust the stdlib parser's recursion).
"""
from __future__ import annotations

import binascii
import email
import email.policy
import ntpath
import re
from dataclasses import dataclass, field
from email.message import Message as EmailMessage

from .charsets import decode_bytes, unescape_surrogates
from .errors import UnusableInput
from .html_text import html_to_text
from .model import Attachment

MAX_TEXT_CHARS = 200_000      # the linted text (of a message or a draft) is cut here; the verdict says so
MAX_RAW_BYTES = 32_000_000    # bigger input is parsed only this far (mail servers refuse more anyway)
MAX_DEPTH = 12                # multipart / message/rfc822 nesting that is still followed
MAX_NESTING = 100             # deeper nesting is refused: no mail client makes it, and the parser recurses per level
MAX_PARTS = 400               # MIME entities visited per message
MAX_HEADER_CHARS = 16_384     # a header value is cut here before decoding
MAX_HTML_TOTAL = 800_000      # HTML characters converted per message, over all its parts
FORWARD_BANNER = "---------- Forwarded message ---------"

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
# Placeholders some mailers put in the text/plain alternative of an HTML mail ("use an HTML viewer").
_PLAIN_PLACEHOLDER = re.compile(
    r"(html|HTML)[- ](format|compatible|version|email|message|viewer)|view this (e-?mail|message) in "
    r"(a|your) (web )?browser|Для просмотра .{0,80}(HTML|браузер)", re.I)
_SIGNATURE_TYPES = {"application/pgp-signature", "application/pkcs7-signature",
                    "application/x-pkcs7-signature"}
# Machine-readable parts of reports: neither text to lint nor attachments a person sent.
_REPORT_TYPES = {"message/delivery-status", "message/disposition-notification",
                 "text/rfc822-headers", "message/feedback-report", "message/external-body"}
_MESSAGE_TYPES = {"message/rfc822", "message/global"}
_BOUNDARY_LINE = re.compile(r"^--[^\s]+[ \t]*\r?$", re.M)
_PART_HEADER = re.compile(r"(?i)content-[a-z-]+:")


@dataclass
class MimeContent:
    headers: dict[str, str]
    text: str
    quote_start: int | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # Undecoded header values (unfolded, 8-bit made text): addresses must be split before decoding,
    # since a decoded display name may itself contain a comma.
    raw_headers: dict[str, str] = field(default_factory=dict)
    truncated: bool = False  # text was left out for size: the raw message, a body part or its HTML was cut


# ---------------------------------------------------------------- headers

def _decode_word(charset: str, encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return binascii.a2b_base64(cleaned)
        except binascii.Error:
            return payload.encode("ascii", errors="replace")
    return binascii.a2b_qp(payload.encode("ascii", errors="replace"), header=True)


def decode_header_text(value: str | None) -> str:
    """A header value as text: unfolded, RFC 2047 words decoded (each with a charset check),
    raw 8-bit bytes decoded too. Adjacent encoded words of one charset are joined before
    decoding, because mailers split multi-byte characters across them."""
    if not value:
        return ""
    value = _FOLD.sub("", unescape_surrogates(value[:MAX_HEADER_CHARS]))
    out: list[str] = []
    pending_charset, pending = "", bytearray()
    pos = 0
    for m in _ENCODED_WORD.finditer(value):
        between = value[pos:m.start()]
        charset = m[1].split("*", 1)[0].lower()  # RFC 2231 adds *language to the charset
        adjacent = pending and not between.strip()
        if not adjacent or charset != pending_charset:
            if pending:
                out.append(decode_bytes(bytes(pending), pending_charset))
                pending = bytearray()
            if not adjacent:
                out.append(between)
        pending_charset = charset
        pending += _decode_word(charset, m[2], m[3])
        pos = m.end()
    if pending:
        out.append(decode_bytes(bytes(pending), pending_charset))
    out.append(value[pos:])
    text = "".join(out)
    return re.sub(r"[\r\n\t]+", " ", text).replace("\x00", "").strip()


def _headers(msg: EmailMessage) -> tuple[dict[str, str], dict[str, str]]:
    """First occurrence of each header (lower-case name): decoded, and raw."""
    decoded: dict[str, str] = {}
    raw: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = unescape_surrogates(str(name)).strip().lower()
        if not key or key in raw:
            continue
        value = str(value)[:MAX_HEADER_CHARS]
        raw[key] = _FOLD.sub("", unescape_surrogates(value)).strip()
        decoded[key] = decode_header_text(value)
    return decoded, raw


# ---------------------------------------------------------------- attachments

def _param(part: EmailMessage, header: str, param: str) -> str | tuple | None:
    """A header parameter, read from the raw header so that raw 8-bit UTF-8 / cp1251 survives
    (the email package would turn it into U+FFFD before we could look at it)."""
    raw = next((str(v) for k, v in part.raw_items() if k.lower() == header), None)
    if raw is None:
        return None
    holder = EmailMessage()
    try:
        holder[header] = _FOLD.sub("", unescape_surrogates(raw[:MAX_HEADER_CHARS]))
        return holder.get_param(param, header=header)
    except (ValueError, TypeError, IndexError, LookupError):
        return None


def _filename(part: EmailMessage) -> str:
    """File name from Content-Disposition or Content-Type, RFC 2231 and RFC 2047 both decoded."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        value = _param(part, header, param)
        if not value:
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded text as latin-1)
            charset, _lang, text = value
            name = decode_bytes(str(text).encode("latin-1", errors="surrogateescape"), charset)
        else:
            name = email.utils.unquote(str(value))
        name = decode_header_text(name)
        name = ntpath.basename(name).strip()  # "C:\\Docs\\КП.pdf" -> "КП.pdf"
        if name:
            return name[:255]
    return ""


def _transfer_encoding(part: EmailMessage) -> str:
    """'base64', 'quoted-printable', ... from values like 'Base64;' or ' quoted-printable '."""
    m = re.match(r"\s*([A-Za-z0-9-]+)", unescape_surrogates(str(part.get("content-transfer-encoding", ""))))
    return m[1].lower() if m else ""


def _payload_bytes(part: EmailMessage) -> bytes:
    """The decoded body of a leaf part; a damaged encoding decodes as far as it goes."""
    # The raw payload string: get_payload() would already have decoded 8-bit bytes with the
    # declared charset and replaced what did not fit, losing the bytes we need to repair it.
    payload = part._payload  # noqa: SLF001 (compat32 keeps it as str; no public raw accessor)
    if isinstance(payload, list) or payload is None:
        return b""
    data = str(payload).encode("utf-8", errors="surrogateescape")
    encoding = _transfer_encoding(part)
    if encoding == "base64":
        cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        if len(cleaned) % 4 == 1:
            cleaned = cleaned[:-1]  # a lone trailing character decodes to nothing; padding fixes the rest
        try:
            return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))
        except binascii.Error:
            return data
    if encoding in ("quoted-printable", "qp"):
        return binascii.a2b_qp(data)
    if encoding in ("x-uuencode", "uuencode", "x-uue", "uue"):
        try:
            decoded = part.get_payload(decode=True)  # the email package knows uuencode
        except (ValueError, TypeError, binascii.Error):
            decoded = None
        return decoded if isinstance(decoded, bytes) else data
    return data


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _looks_binary(data: bytes) -> bool:
    """Control characters that no text, in any charset, is made of (ESC excepted: ISO-2022-JP)."""
    return len(_CONTROL_BYTES.findall(data[:4096])) > 0.05 * min(len(data), 4096)


def _message_size(part: EmailMessage) -> int:
    """Size of an attached .eml as it was sent: headers plus encoded bodies. Summed over the
    parsed parts, since re-serialising a big message (as_bytes) costs far more than it tells."""
    size = 0
    for sub in part.walk():
        size += sum(len(k) + len(str(v)) + 4 for k, v in sub.raw_items())
        if not sub.is_multipart():
            size += len(str(sub._payload or ""))  # noqa: SLF001
    return size


def _disposition(part: EmailMessage) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except (ValueError, TypeError, IndexError):
        return ""


def _as_attachment(part: EmailMessage, ctype: str, filename: str) -> Attachment | None:
    """The attachment a person sent, or None for a body part, a signature or an inline image.

    An inline image with a Content-ID is a picture inside the HTML (a logo in the signature), not a
    file the recipient is meant to open: it counts only when it has a file name AND disposition
    `attachment`. Other parts count when named, marked `attachment`, or not text at all.
    """
    disposition = _disposition(part)
    if ctype in _SIGNATURE_TYPES or ctype in _REPORT_TYPES:
        return None
    if ctype.startswith("image/") and part.get("content-id"):
        if not (filename and disposition == "attachment"):
            return None
    elif ctype in ("text/plain", "text/html") and not filename and disposition != "attachment":
        return None
    elif ctype.startswith("text/") and not filename and disposition != "attachment":
        return None  # text/calendar, text/enriched... without a name: nothing a person attached
    return Attachment(filename, ctype, len(_payload_bytes(part)))


# ---------------------------------------------------------------- body text

@dataclass
class _Body:
    text: str
    quote_start: int | None = None
    kind: str = "plain"  # plain | html


def _charset(part: EmailMessage) -> str | None:
    charset = _param(part, "content-type", "charset")
    if isinstance(charset, tuple):
        charset = charset[2]
    return str(charset) if charset else None


def _usable_plain(plain: _Body, html: _Body | None) -> bool:
    """A text/plain alternative is what the recipient reads unless it is empty, a placeholder
    ("view this email in your browser") or undecodable, while an HTML alternative has the text."""
    letters = sum(ch.isalpha() for ch in plain.text)
    if letters == 0 or plain.text.count("\ufffd") > 0.05 * len(plain.text):
        return False
    if html is None:
        return True
    html_letters = sum(ch.isalpha() for ch in html.text)
    if letters < 0.1 * html_letters:
        return False
    return not (letters < 200 and _PLAIN_PLACEHOLDER.search(plain.text) and html_letters > 2 * letters)


def _join(bodies: list[_Body]) -> _Body | None:
    """Several inline text parts (a body and a mailing-list footer, say) read one after another."""
    bodies = [b for b in bodies if b.text.strip()]
    if not bodies:
        return None
    text, quote_start = "", None
    for b in bodies:
        if text:
            text = text.rstrip("\n") + "\n\n"
        if quote_start is None and b.quote_start is not None:
            quote_start = len(text) + b.quote_start
        text += b.text
    return _Body(text, quote_start, bodies[0].kind)


class _Walker:
    """One message's walk: the text to lint, the attachments found, forwards, and a work budget.

    `want_text=False` walks a branch only for its attachments (the alternative not shown, a
    related part's pictures), so no time goes into decoding text nobody reads.
    """

    def __init__(self, parts_left: int = MAX_PARTS, html_left: int = MAX_HTML_TOTAL) -> None:
        self.attachments: list[Attachment] = []
        self.forwarded: list[str] = []
        self.parts_left = parts_left
        self.html_left = html_left
        self.truncated = False

    def body(self, part: EmailMessage, depth: int, want_text: bool = True) -> _Body | None:
        if depth > MAX_DEPTH or self.parts_left <= 0:
            return None
        self.parts_left -= 1
        ctype = part.get_content_type().lower()
        payload = part._payload  # noqa: SLF001 (raw: get_payload() would decode 8-bit lossily)
        if ctype.startswith("multipart/"):
            if not isinstance(payload, list):
                return self.unsplit(part, str(payload), depth) if want_text and str(payload).strip() else None
            return self.multipart(ctype, [c for c in payload if isinstance(c, EmailMessage)], depth, want_text)
        filename = _filename(part)
        if ctype in _MESSAGE_TYPES:
            if filename:  # a named .eml is also a file the sender attached
                self.attachments.append(Attachment(filename, ctype, _message_size(part)))
            if want_text:
                self.forward(part, depth)
            return None
        attachment = _as_attachment(part, ctype, filename)
        if attachment is not None:
            self.attachments.append(attachment)
            return None
        if want_text and ctype in ("text/plain", "text/html"):
            return self.text(part, ctype)
        return None

    def multipart(self, ctype: str, children: list[EmailMessage], depth: int, want_text: bool) -> _Body | None:
        if not want_text:
            for child in children:
                self.body(child, depth + 1, want_text=False)
            return None
        if ctype == "multipart/alternative":
            return self.alternative(children, depth)
        if ctype == "multipart/related" and children:
            # The first part is the document; the rest are its pictures and styles.
            root = self.body(children[0], depth + 1)
            for child in children[1:]:
                self.body(child, depth + 1, want_text=False)
            return root
        return _join([b for b in (self.body(c, depth + 1) for c in children) if b is not None])

    def alternative(self, children: list[EmailMessage], depth: int) -> _Body | None:
        """Lint what the recipient reads: the plain part, unless it is empty or a placeholder.
        Only the first plain and the last (richest) other alternative are decoded."""
        plain_part = next((c for c in children if c.get_content_type() == "text/plain"
                           and _disposition(c) != "attachment"), None)
        plain = self.body(plain_part, depth + 1) if plain_part is not None else None
        rich = None
        for child in reversed(children):
            if child is plain_part:
                continue
            found = self.body(child, depth + 1, want_text=rich is None)
            if found is not None and found.text.strip():
                rich = found
        if plain is not None and plain.text.strip() and _usable_plain(plain, rich):
            return plain
        return rich or plain

    def unsplit(self, part: EmailMessage, body: str, depth: int) -> _Body | None:
        """A multipart whose declared boundary never occurs: split at the boundary-like lines that
        do occur and read the pieces that start with headers; else the whole body is the text."""
        pieces = [p.lstrip("\r\n") for p in _BOUNDARY_LINE.split(body)]
        parts = [_parse(p) for p in pieces[:MAX_PARTS] if _PART_HEADER.match(p)]
        found = _join([b for b in (self.body(p, depth + 1) for p in parts) if b is not None])
        return found or self.text(part, "text/plain")

    def text(self, part: EmailMessage, ctype: str) -> _Body:
        data = _payload_bytes(part)
        if len(data) > MAX_TEXT_CHARS * 4:
            data, self.truncated = data[: MAX_TEXT_CHARS * 4], True
        if _looks_binary(data):
            # "base64" over text that is not base64, say: the undecoded body reads better.
            raw = str(part._payload or "").encode("utf-8", errors="surrogateescape")  # noqa: SLF001
            data = raw if not _looks_binary(raw) else b""
        text = decode_bytes(data, _charset(part)).replace("\x00", "")
        looks_html = ctype != "text/plain" or re.match(r"\s*<(!doctype|html)", text, re.I)
        if not looks_html:
            return _Body(text.replace("\r\n", "\n").replace("\r", "\n"))
        if self.html_left <= 0:
            self.truncated = True
            return _Body("", kind="html")
        self.html_left -= len(text)
        converted = html_to_text(text)
        self.truncated |= converted.truncated
        return _Body(converted.text, converted.quote_start, "html")

    def forward(self, part: EmailMessage, depth: int) -> None:
        """A message/rfc822 part: quoted history under a banner. Its attachments stay its own."""
        payload = part._payload  # noqa: SLF001
        if isinstance(payload, list) and payload and isinstance(payload[0], EmailMessage):
            inner = payload[0]
        elif isinstance(payload, str) and payload.strip():
            inner = _parse(payload)
        else:
            return
        inner_walk = _Walker(self.parts_left, self.html_left)
        body = inner_walk.body(inner, depth + 1)
        self.parts_left, self.html_left = inner_walk.parts_left, inner_walk.html_left
        self.truncated |= inner_walk.truncated
        headers, _raw = _headers(inner)
        lines = [FORWARD_BANNER]
        for name, label in (("from", "From"), ("date", "Date"), ("subject", "Subject"), ("to", "To")):
            if headers.get(name):
                lines.append(f"{label}: {headers[name]}")
        self.forwarded.append("\n".join(lines) + "\n\n" + (body.text.strip("\n") if body else ""))
        self.forwarded.extend(inner_walk.forwarded)  # a forward inside a forward: further down the thread


def _limit_parts(raw: bytes) -> bytes:
    """Cut a message with thousands of MIME parts before parsing: the walk stops after MAX_PARTS
    anyway, and parsing the rest would cost seconds. Every part begins with a "--boundary" line,
    so counting lines that begin with "--" bounds the part count from above, cheaply."""
    limit = 2 * MAX_PARTS
    if raw.count(b"\n--") <= limit:
        return raw
    pos = -1
    for _ in range(limit):
        pos = raw.find(b"\n--", pos + 1)
    return raw[:pos + 1]


def _nesting(msg: EmailMessage) -> int:
    """How many multipart / message levels the parsed tree has, counted without recursion."""
    deepest, stack = 0, [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        payload = part._payload  # noqa: SLF001 (a list of parts for containers)
        if isinstance(payload, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in payload if isinstance(child, EmailMessage))
    return deepest


def _parse(raw: bytes | str) -> EmailMessage:
    """The stdlib parse, refusing nesting past MAX_NESTING: the parser (and any walk over its tree)
    recurses once per level, so a crafted message of 1,000 levels would raise RecursionError."""
    too_deep = UnusableInput(f"MIME parts nested more than {MAX_NESTING} levels deep: not a readable email")
    try:
        if isinstance(raw, str):
            msg = email.message_from_string(raw, policy=email.policy.compat32)
        else:
            msg = email.message_from_bytes(_limit_parts(raw[:MAX_RAW_BYTES]), policy=email.policy.compat32)
    except RecursionError:
        raise too_deep from None
    if _nesting(msg) > MAX_NESTING:
        raise too_deep
    return msg


def read_mime(raw: bytes) -> MimeContent:
    """Headers, the text the recipient reads (forwards appended as quoted history), attachments."""
    if not raw or not raw.strip():
        raise UnusableInput("empty message: no headers and no text")
    msg = _parse(raw)
    headers, raw_headers = _headers(msg)
    walk = _Walker()
    body = walk.body(msg, 0) or _Body("")
    text, quote_start = body.text.rstrip(), body.quote_start
    for block in walk.forwarded:
        text = (text + "\n\n") if text else ""
        if quote_start is None:
            quote_start = len(text)
        text += block.rstrip()
    if quote_start is not None and quote_start >= len(text):
        quote_start = None
    if not headers and not text.strip():
        raise UnusableInput("not an email: no headers and no readable text")
    return MimeContent(headers, text, quote_start, walk.attachments, raw_headers,
                       truncated=walk.truncated or len(raw) > MAX_RAW_BYTES)
