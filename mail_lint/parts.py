"""Split a message's text into greeting, body, signature and quoted history."""
from __future__ import annotations

import re

from .model import Parts

_QUOTE_START = re.compile(r"^(>|-----Original Message-----|-----Исходное сообщение-----|On .+ wrote:$)", re.M)
_SIGNOFF = re.compile(r"^(-- ?|С уважением,?|Best regards,?)$", re.M | re.I)


def split_parts(text: str, quote_hint: int | None = None) -> Parts:
    """quote_hint: offset where an HTML quote (blockquote, gmail_quote) began, if the text came from HTML."""
    m = _QUOTE_START.search(text)
    quoted_start = m.start() if m else None
    if quote_hint is not None:
        quoted_start = quote_hint if quoted_start is None else min(quoted_start, quote_hint)
    new_end = quoted_start if quoted_start is not None else len(text)
    quoted = (quoted_start, len(text)) if quoted_start is not None else None
    new = text[:new_end]
    s = _SIGNOFF.search(new)
    sig = (s.start(), len(new.rstrip())) if s else None
    body_end = s.start() if s else len(new.rstrip())
    first_nl = new.find("\n")
    greeting = None
    body_start = 0
    if first_nl > 0 and len(new[:first_nl].split()) <= 6:
        greeting = (0, first_nl)
        body_start = first_nl + 1
    body = (body_start, max(body_start, body_end))
    return Parts(greeting=greeting, body=body, signature=sig, quoted=quoted)
