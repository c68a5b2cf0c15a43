"""Which mail the head of sales wants linted: BCC'd to them, and long, or a proposal, or about a priority product."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from mail_lint.model import Message
from mail_lint.store.store import SKIP_NOT_BCC, SKIP_SHORT


_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class Selection:
    selected: bool
    reason: str


@lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def new_text_lines(message: Message, width: int = 0) -> int:
    """Non-empty lines the author wrote (greeting and body, not the signature or quoted history) as a reader
    sees them: a paragraph longer than `width` characters wraps onto several lines. 0: lines as typed."""
    lines = [line for line in message.span_text(message.writing).splitlines() if line.strip()]
    if width <= 0:
        return len(lines)
    return sum(len(textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False)) or 1
               for line in lines)


def new_text_words(message: Message) -> int:
    """Words the author wrote, on the same span as the line count."""
    return len(_WORD.findall(message.span_text(message.writing)))


def select(message: Message, options: dict, address: str) -> Selection:
    address = address.lower()
    visible = {a.email.lower() for a in message.to + message.cc}
    if options["bcc_only"] and address and address in visible:
        return Selection(False, f"{SKIP_NOT_BCC}: {address} is in To/Cc")
    if options["select_all"]:
        return Selection(True, "select_all")
    reasons = []
    lines = new_text_lines(message, options["reading_width"])
    words = new_text_words(message)
    if lines > options["min_lines"]:
        reasons.append(f"{lines} lines of new text")
    elif options["min_words"] and words > options["min_words"]:
        reasons.append(f"{words} words of new text")
    proposal = _compile(tuple(options["proposal_patterns"]))
    if proposal:
        named = [a.filename for a in message.attachments if proposal.search(a.filename or "")]
        if named:
            reasons.append(f"proposal attached: {named[0]}")
        elif proposal.search(message.subject) or proposal.search(message.new_text):
            reasons.append("proposal in the subject or text")
    products = _compile(tuple(re.escape(p) for p in options["priority_products"]))
    if products and (m := products.search(f"{message.subject}\n{message.new_text}")):
        reasons.append(f"priority product: {m.group(0)}")
    if not reasons:
        return Selection(False, f"{SKIP_SHORT} ({lines} lines, {words} words of new text), no proposal, no priority product")
    return Selection(True, "; ".join(reasons))
