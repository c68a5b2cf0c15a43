"""Which mail the head of sales wants linted: BCC'd to them, and long, or a proposal, or about a priority product."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mail_lint.model import Message


@dataclass(frozen=True)
class Selection:
    selected: bool
    reason: str


@lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def new_text_lines(message: Message) -> int:
    """Non-empty lines the author wrote: greeting and body, not the signature or quoted history."""
    return sum(1 for line in message.span_text(message.writing).splitlines() if line.strip())


def select(message: Message, options: dict, address: str) -> Selection:
    address = address.lower()
    visible = {a.email.lower() for a in message.to + message.cc}
    if options["bcc_only"] and address and address in visible:
        return Selection(False, f"{address} is in To/Cc, not BCC")
    if options["select_all"]:
        return Selection(True, "select_all")
    reasons = []
    lines = new_text_lines(message)
    if lines > options["min_lines"]:
        reasons.append(f"{lines} lines of new text")
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
        return Selection(False, f"short ({lines} lines of new text), no proposal, no priority product")
    return Selection(True, "; ".join(reasons))
